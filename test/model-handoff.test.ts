import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { database } from '../common/clients/mongo';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { repoRoot } from '../common/config';
import { startBatchRuns, type BatchDateResult } from '../common/contracts/batch';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import { startTraining } from '../common/contracts/training';
import type { PredictionResult } from '../common/prediction/result';
import { syntheticTasks } from './support/batch-tasks';
import { openFaultContext, openFaultRun, type FaultRun } from './support/fault-run';
import { waitFor } from './support/wait-for';

const fixtures = join(repoRoot, 'test', 'fixtures');

/**
 * No shared disk: a training worker A promotes a new champion, and a scoring worker B and a batch
 * worker C — processes of their own whose model caches have never seen A's — score with it within
 * seconds, without a restart: they find it through MLflow's champion alias and fetch it from MLflow's
 * artifact store.
 */
describe('a champion trained on one machine, used on the others', () => {
  let ctx: Awaited<ReturnType<typeof openFaultContext>>;
  let run: FaultRun;
  const children: ChildProcess[] = [];
  const id = randomUUID().slice(0, 8);
  const date = '2013-09-01';
  const batchDir = `/tmp/test-handoff-batch-${id}`;
  const collections = { tasks: `test_handoff_tasks_${id}`, results: `test_handoff_results_${id}`, batches: `test_handoff_batches_${id}` };
  const trainingQueue = `handoff-training-${id}`;
  const batchQueue = `handoff-batch-${id}`;

  const spawnFixture = (file: string, args: string[], env: Record<string, string> = {}): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, file), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...ctx.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };

  before(async () => {
    // A small champion, version 1, published from this process: what B and C start with.
    ctx = await openFaultContext('handoff');
    run = await openFaultRun(ctx, 'handoff');
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await run.close();
    for (const name of Object.values(collections)) await database(ctx.mongo, ctx.cfg).collection(name).drop().catch(() => undefined);
    await WebHdfsClient.fromConfig(ctx.cfg).delete(batchDir, { recursive: true }).catch(() => undefined);
    await ctx.close();
  });

  it('reaches a scoring worker and a batch worker of their own, within seconds, without a restart', { timeout: 600_000 }, async () => {
    const results = database(ctx.mongo, ctx.cfg).collection<PredictionResult>(run.names.resultsCollection);
    const scoredWith = async (): Promise<string> => {
      const uuid = randomUUID();
      await run.produce([uuid]);
      const doc = await waitFor(() => results.findOne({ UUID: uuid }).then((d) => d ?? undefined), 60_000, 'a request scored');
      return doc.ModelVersion;
    };

    // B: a scoring worker (model cache of its own), following the alias every second.
    run.startWorker({ STREAM_CHAMPION_WATCH_MS: '1000' });
    await ensureStreamingWorkflow(ctx.temporal.client, { workflowId: run.workflowId, taskQueue: run.taskQueue, consumers: 1 });
    assert.equal(await scoredWith(), '1');
    // C: a batch worker (model cache of its own).
    spawnFixture('batch-worker-process.ts', [batchQueue, batchDir, JSON.stringify(collections)], { MODEL_STORE_DIR: join(mkdtempSync(join(tmpdir(), 'handoff-c-')), 'model-store') });
    // A: a training worker (model cache and nothing else of its own; its steps hand files through HDFS).
    spawnFixture('training-worker-process.ts', [trainingQueue]);

    const training = await startTraining(ctx.temporal.client, { limit: 20_000, forest: { numTrees: 5 }, promote: 'always' }, { workflowId: `handoff-train-${id}`, taskQueue: trainingQueue });
    const trained = await training.handle.result();
    assert.equal(trained.promoted, true, trained.promotionReason);
    const promotedAt = Date.now();
    assert.notEqual(trained.version, '1');

    const onB = await waitFor(async () => ((await scoredWith()) === trained.version ? Date.now() : undefined), 60_000, `worker B scoring with version ${trained.version}`);
    const bSeconds = (onB - promotedAt) / 1000;
    assert.ok(bSeconds < 15, `B scored with the new champion ${bSeconds.toFixed(1)} s after the promotion`);

    const hdfs = WebHdfsClient.fromConfig(ctx.cfg);
    await hdfs.create(`${batchDir}/source.jsonl`, await syntheticTasks(500, date, 'handoff'), { overwrite: true });
    const [batchRun] = await startBatchRuns(ctx.temporal.client, [date], { source: `hdfs:${batchDir}/source.jsonl`, taskQueue: batchQueue });
    const batch = (await ctx.temporal.client.workflow.getHandle(batchRun!.workflowId, batchRun!.runId).result()) as BatchDateResult;
    const cSeconds = (Date.now() - promotedAt) / 1000;
    assert.equal(batch.modelVersion, trained.version, 'C scored the date with the new champion');
    assert.equal(batch.scored, 500);
    console.log(`# hand-off: version ${trained.version} trained on A; B scored with it ${bSeconds.toFixed(1)} s after the promotion, C's batch finished ${cSeconds.toFixed(1)} s after it`);
  });
});
