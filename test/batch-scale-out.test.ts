import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Db, MongoClient } from 'mongodb';
import { batchPartIndex, batchPartsDir, batchSuccessPath, type BatchPartKind } from '../common/batch-storage';
import { createMongoClient, database } from '../common/clients/mongo';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { repoRoot, type Config } from '../common/config';
import { batchStatusQuery, startBatchRuns, type BatchDateResult, type BatchStatus } from '../common/contracts/batch';
import { jsonLines } from '../activities/batch/json-lines';
import { syntheticTasks } from './support/batch-tasks';
import { promoteSmallChampion } from './support/small-champion';
import { trainingTestSettings } from './support/training';
import { waitFor } from './support/wait-for';

const taskCount = Number(process.env.BATCH_SCALE_TASKS ?? 200_000);
const chunkSize = Math.max(100, Math.floor(taskCount / 10));
const date = '2013-08-15';
const fixture = join(repoRoot, 'test', 'fixtures', 'batch-worker-process.ts');
/** temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED. */
const pendingActivityStarted = 2;

/**
 * A date's batch over two batch workers, each a process of its own with its own model cache (as on two
 * machines), one chunk at a time each: both run chunks, one is SIGKILLed in the middle of a chunk, and
 * the date still ends with every task exactly once in MongoDB and once in the HDFS JSON lines and Parquet.
 */
describe('the batch over several workers', () => {
  const id = randomUUID().slice(0, 8);
  const hdfsDir = `/tmp/test-batch-scale-${id}`;
  const collections = { tasks: `test_tasks_${id}`, results: `test_results_${id}`, batches: `test_batches_${id}` };
  const taskQueue = `batch-scale-${id}`;
  const logDir = mkdtempSync(join(tmpdir(), 'batch-scale-'));
  let cfg: Config;
  let env: Record<string, string>;
  let hdfs: WebHdfsClient;
  let temporal: TemporalClients;
  let mongo: MongoClient;
  let db: Db;
  const workers: ChildProcess[] = [];

  const startWorker = (): ChildProcess => {
    const cache = mkdtempSync(join(tmpdir(), 'batch-worker-cache-'));
    const fd = openSync(join(logDir, `worker-${workers.length + 1}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, taskQueue, hdfsDir, JSON.stringify(collections)], {
      cwd: repoRoot,
      env: { ...process.env, ...env, MODEL_STORE_DIR: join(cache, 'model-store'), BATCH_CHUNK_SIZE: String(chunkSize), BATCH_CHUNKS_PER_WORKER: '1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    workers.push(child);
    return child;
  };
  const identityOf = (child: ChildProcess): string => `${child.pid}@${hostname()}`;
  const logs = (): string => workers.map((_, i) => readFileSync(join(logDir, `worker-${i + 1}.log`), 'utf8').split('\n').slice(-30).join('\n')).join('\n---\n');

  async function partsOf(kind: BatchPartKind): Promise<Buffer[]> {
    const dir = batchPartsDir(hdfsDir, date, kind);
    const names = (await hdfs.listStatus(dir)).map((f) => f.pathSuffix).filter((n) => batchPartIndex(n) !== undefined).sort();
    return Promise.all(names.map((n) => hdfs.open(`${dir}/${n}`)));
  }

  before(async () => {
    const settings = trainingTestSettings('batch-scale');
    env = settings.env;
    cfg = settings.cfg;
    await promoteSmallChampion(cfg);
    hdfs = WebHdfsClient.fromConfig(cfg);
    temporal = await connectTemporal(cfg);
    mongo = await createMongoClient(cfg);
    db = database(mongo, cfg);
    await hdfs.create(`${hdfsDir}/source.jsonl`, await syntheticTasks(taskCount, date, 'scale'), { overwrite: true });
  });

  after(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    for (const name of Object.values(collections)) await db.collection(name).drop().catch(() => undefined);
    await hdfs.delete(hdfsDir, { recursive: true }).catch(() => undefined);
    await mongo.close();
    await closeTemporal(temporal);
  });

  it('spreads the chunks over two workers and loses nothing and doubles nothing when one is SIGKILLed mid-chunk', { timeout: 600_000 }, async () => {
    const t0 = Date.now();
    const a = startWorker();
    const b = startWorker();
    const [run] = await startBatchRuns(temporal.client, [date], { source: `hdfs:${hdfsDir}/source.jsonl`, taskQueue });
    const handle = temporal.client.workflow.getHandle(run!.workflowId, run!.runId);

    // B has finished a chunk and is in the middle of another: kill it there.
    let status: BatchStatus | undefined;
    try {
      await waitFor(async () => {
        status = await handle.query(batchStatusQuery);
        if (!status.chunksByWorker?.[identityOf(b)]) return undefined;
        const { raw } = await handle.describe();
        const running = (raw.pendingActivities ?? []).some(
          (p) => p.activityType?.name === 'scoreChunk' && p.lastWorkerIdentity === identityOf(b) && Number(p.state) === pendingActivityStarted,
        );
        return running ? true : undefined;
      }, 240_000, 'worker B in the middle of its second chunk');
    } catch (err) {
      throw new Error(`${(err as Error).message}; status ${JSON.stringify(status)}\n${logs()}`);
    }
    b.kill('SIGKILL');
    const killedAt = Date.now();
    const doneAtKill = status?.chunksDone ?? 0;

    const result = (await handle.result()) as BatchDateResult;
    const finished = Date.now();
    assert.equal(result.tasks, taskCount);
    assert.equal(result.scored + result.rejected, taskCount);
    assert.equal(result.rejected, 0);
    assert.equal(result.chunks, Math.ceil(taskCount / chunkSize));
    assert.ok((result.chunksByWorker[identityOf(a)] ?? 0) >= 1, `A ran chunks: ${JSON.stringify(result.chunksByWorker)}`);
    assert.ok((result.chunksByWorker[identityOf(b)] ?? 0) >= 1, `B ran chunks before it was killed: ${JSON.stringify(result.chunksByWorker)}`);

    // The history names the worker that started each chunk: both, and B's unfinished chunk started again on A.
    const history = await handle.fetchHistory();
    const starters = new Set((history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.identity));
    assert.ok(starters.has(identityOf(a)) && starters.has(identityOf(b)), `activity starters ${[...starters].join(', ')}`);

    // Every task exactly once: in MongoDB, in the JSON lines and in the Parquet parts.
    const stored = await db.collection(collections.results).find({}, { projection: { _id: 1 } }).toArray();
    assert.equal(stored.length, taskCount, 'one document per task in MongoDB');
    assert.equal(new Set(stored.map((d) => String(d._id))).size, taskCount);
    const lines = (await partsOf('results')).reduce((n, b) => n + [...jsonLines(b)].length, 0);
    assert.equal(lines, taskCount, 'one JSON line per task');
    const { parquetMetadataAsync } = await import('hyparquet');
    let rows = 0;
    for (const bytes of await partsOf('parquet')) rows += Number((await parquetMetadataAsync(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).num_rows);
    assert.equal(rows, taskCount, 'one Parquet row per task');
    const success = JSON.parse(await hdfs.readText(batchSuccessPath(hdfsDir, date))) as { scored: number; chunks: number };
    assert.equal(success.scored, taskCount);
    console.log(
      `# batch scale-out: ${taskCount} tasks in ${result.chunks} chunks; ${doneAtKill} chunks done when B was killed at ${((killedAt - t0) / 1000).toFixed(1)} s; ` +
        `done ${((finished - killedAt) / 1000).toFixed(1)} s after; chunks by worker ${JSON.stringify(result.chunksByWorker)}`,
    );
  });
});
