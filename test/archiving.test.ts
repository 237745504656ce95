/**
 * The archiving workflow on the real stack: Temporal, MongoDB (FerretDB) and HDFS. Each test has a
 * collection of its own, archived under a fresh /tmp/test-archiving-<random> HDFS folder; both are
 * removed at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { MongoClient } from 'mongodb';
import { createArchivingActivities, type ArchivingActivities, type ArchivingDeps } from '../activities/archiving';
import { storedResult } from './support/prediction-results';
import type { StoredResult } from '../activities/archiving/select-chunk';
import { resultFromParquetRow } from '../common/prediction/parquet-schema';
import { createMongoClient, database } from '../common/clients/mongo';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { config } from '../common/config';
import { silentLogger } from '../common/logger';
import { workflowTypes } from '../common/names';
import type { PredictionResult } from '../common/prediction/result';
import {
  archivingStatusQuery,
  startArchiving,
  type ArchiveRealtimeResultsInput,
  type ArchivingStatus,
} from '../common/contracts/archiving';

const quiet = silentLogger;
const dayMs = 86_400_000;

describe('archiveRealtimeResults on the real stack', () => {
  const cfg = config();
  const hdfs = WebHdfsClient.fromConfig(cfg);
  const root = `/tmp/test-archiving-${randomBytes(6).toString('hex')}`;
  const taskQueue = `archiving-test-${randomUUID()}`;
  const collections: string[] = [];
  let mongo: MongoClient;
  let temporal: TemporalClients;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  /** What the worker's activities do: each test points it at its own collection and faults. */
  let current: ArchivingActivities | undefined;

  before(async () => {
    assert.equal(await hdfs.exists(root), false, `${root} should not exist before the test`);
    mongo = await createMongoClient(cfg);
    temporal = await connectTemporal(cfg);
    connection = await NativeConnection.connect({ address: cfg.temporal.address });
    const delegating: ArchivingActivities = {
      measureRealtimeResults: () => current!.measureRealtimeResults(),
      archiveRealtimeResultsChunk: (input) => current!.archiveRealtimeResultsChunk(input),
    };
    worker = await Worker.create({
      connection,
      namespace: cfg.temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: delegating,
    });
    running = worker.run();
  });
  after(async () => {
    if (worker) {
      worker.shutdown();
      await running;
    }
    await connection?.close();
    await closeTemporal(temporal);
    for (const name of collections) await database(mongo, cfg).collection(name).drop().catch(() => undefined);
    await mongo?.close();
    await hdfs.delete(root, { recursive: true }).catch(() => undefined);
  });

  /** A fresh collection holding `old` results scored 10 days ago (over three dates) and `recent` ones scored now. */
  async function seed(label: string, old: number, recent: number) {
    const collection = `archive_test_${label}_${randomBytes(4).toString('hex')}`;
    collections.push(collection);
    const now = Date.now();
    const oldDocs = Array.from({ length: old }, (_, i) => storedResult(i, `2024-03-0${1 + (i % 3)}`, new Date(now - 10 * dayMs + i).toISOString()));
    const recentDocs = Array.from({ length: recent }, (_, i) => storedResult(i, '2024-03-09', new Date(now - 60_000 + i).toISOString()));
    const coll = database(mongo, cfg).collection<StoredResult>(collection);
    const all = [...oldDocs, ...recentDocs];
    for (let i = 0; i < all.length; i += 5_000) await coll.insertMany(all.slice(i, i + 5_000));
    return { collection, coll, oldDocs, recentDocs };
  }

  /** Runs the workflow with the activities bound to `deps`; the summary and the status query's last answer. */
  async function archive(deps: Omit<ArchivingDeps, 'db' | 'hdfs' | 'log'>, input: ArchiveRealtimeResultsInput) {
    current = createArchivingActivities({ db: database(mongo, cfg), hdfs, log: quiet, ...deps });
    const handle = await startArchiving(temporal.client, { retry: { initialIntervalSeconds: 1 }, ...input }, {
      taskQueue,
      workflowId: `test-archiving-${randomUUID()}`,
    });
    const summary = await handle.result();
    const status = await handle.query(archivingStatusQuery);
    return { summary, status, runId: handle.firstExecutionRunId };
  }

  /** Every archived row under `<dir>/<collection>`, read back from HDFS with hyparquet, as results with their file. */
  async function readArchive(dir: string, collection: string): Promise<{ file: string; result: PredictionResult }[]> {
    const { parquetReadObjects } = await import('hyparquet');
    const base = `${dir}/${collection}`;
    if (!(await hdfs.exists(base))) return [];
    const rows: { file: string; result: PredictionResult }[] = [];
    for (const partition of await hdfs.listStatus(base)) {
      const date = partition.pathSuffix.replace('FlightDate=', '');
      for (const f of await hdfs.listStatus(`${base}/${partition.pathSuffix}`)) {
        const path = `${base}/${partition.pathSuffix}/${f.pathSuffix}`;
        assert.match(f.pathSuffix, /^part-[\w-]+-c\d{5}-a\d+\.parquet$/, `only final archive files in ${base}/${partition.pathSuffix}`);
        const bytes = await hdfs.open(path);
        const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        for (const row of await parquetReadObjects({ file })) rows.push({ file: path, result: resultFromParquetRow(row, date) });
      }
    }
    return rows;
  }

  const withoutId = ({ _id, ...result }: StoredResult): PredictionResult => {
    void _id;
    return result;
  };
  const sortedIds = (ids: Iterable<string>): string[] => [...ids].sort();

  it('moves the old results to HDFS Parquet, verified, and deletes exactly them from MongoDB', async () => {
    const { collection, coll, oldDocs, recentDocs } = await seed('move', 2_500, 400);
    const dir = `${root}/move`;
    const { summary, status } = await archive({ collection }, { sizeThresholdBytes: 0, olderThanDays: 3, chunkSize: 1_000, hdfsDir: dir });

    const left = await coll.find({}, { projection: { _id: 1 } }).toArray();
    assert.deepEqual(sortedIds(left.map((d) => d._id)), sortedIds(recentDocs.map((d) => d._id)), 'MongoDB keeps exactly the recent results');
    const archived = await readArchive(dir, collection);
    assert.equal(archived.length, oldDocs.length, 'each old result archived once');
    const byUuid = new Map(archived.map((a) => [a.result.UUID, a.result]));
    assert.deepEqual(sortedIds(byUuid.keys()), sortedIds(oldDocs.map((d) => d.UUID)));
    for (const doc of oldDocs) assert.deepEqual(byUuid.get(doc.UUID), withoutId(doc), `archived ${doc.UUID} as stored`);

    assert.equal(summary.collection, collection);
    assert.ok(summary.sizeBytesBefore > 0);
    assert.equal(summary.countBefore, oldDocs.length + recentDocs.length);
    assert.equal(summary.thresholdBytes, 0);
    assert.equal(summary.archived, oldDocs.length);
    assert.equal(summary.chunks, 3, '1,000 + 1,000 + 500: a chunk short of chunkSize is the last');
    assert.equal(summary.files.reduce((n, f) => n + f.rows, 0), oldDocs.length);
    assert.deepEqual(sortedIds(summary.files.map((f) => f.path)), sortedIds(new Set(archived.map((a) => a.file))));
    assert.equal(summary.unfit, 0);
    assert.equal(summary.skipped, undefined);
    assert.ok(summary.cutoff && Date.parse(summary.cutoff) < Date.now() - 3 * dayMs + 60_000);
    assert.deepEqual(status, {
      stage: 'done',
      sizeBytesBefore: summary.sizeBytesBefore,
      thresholdBytes: 0,
      cutoff: summary.cutoff,
      chunk: 3,
      archived: oldDocs.length,
      files: summary.files.length,
    } satisfies ArchivingStatus);
  });

  it('moves nothing while the collection is not over the threshold', async () => {
    const { collection, coll, oldDocs } = await seed('below', 300, 10);
    const dir = `${root}/below`;
    const { summary, status } = await archive({ collection }, { sizeThresholdBytes: 1024 ** 3, olderThanDays: 3, hdfsDir: dir });
    assert.equal(await coll.countDocuments(), oldDocs.length + 10);
    assert.equal(await hdfs.exists(dir), false, 'nothing written to HDFS');
    assert.equal(summary.archived, 0);
    assert.equal(summary.chunks, 0);
    assert.match(summary.skipped ?? '', /holds \d+ bytes, not over the threshold of 1073741824/);
    assert.equal(status.stage, 'skipped');
  });

  it('loses nothing when it fails between the write and the delete, and the retry completes the job', async () => {
    const { collection, coll, oldDocs, recentDocs } = await seed('fault', 1_500, 200);
    const dir = `${root}/fault`;
    const failedAfter: string[] = [];
    const faults = {
      afterWrite: (file: string): Promise<void> => {
        if (failedAfter.length > 0) return Promise.resolve();
        failedAfter.push(file);
        return Promise.reject(new Error('injected fault: the worker fails after writing an archive file'));
      },
    };
    const { summary } = await archive({ collection, faults }, { sizeThresholdBytes: 0, olderThanDays: 3, chunkSize: 1_000, hdfsDir: dir });

    const left = await coll.find({}, { projection: { _id: 1 } }).toArray();
    assert.deepEqual(sortedIds(left.map((d) => d._id)), sortedIds(recentDocs.map((d) => d._id)), 'no old result left, every recent one kept');
    const archived = await readArchive(dir, collection);
    const uuids = new Set(archived.map((a) => a.result.UUID));
    const missing = oldDocs.filter((d) => !uuids.has(d.UUID));
    assert.deepEqual(missing, [], 'every old result is on HDFS');
    assert.equal(failedAfter.length, 1);
    assert.match(failedAfter[0]!, /-c00001-a1\.parquet$/);
    assert.ok(archived.some((a) => a.file === failedAfter[0]), 'the first attempt’s file is kept, not overwritten');
    // The fault is an error, so Temporal hands the retry the last heartbeat: it finishes that attempt's
    // deletes from the verified file instead of archiving those results a second time.
    assert.equal(summary.recoveredChunks, 1);
    assert.equal(archived.length, oldDocs.length, 'no result archived twice');
    assert.equal(summary.archived, oldDocs.length);
  });

  it('fails at once, naming the field, on invalid input', async () => {
    current = undefined;
    await assert.rejects(
      temporal.client.workflow.execute(workflowTypes.archiving, {
        taskQueue,
        workflowId: `test-archiving-bad-${randomUUID()}`,
        args: [{ chunkSize: 0 }],
      }),
      (err: unknown) => err instanceof WorkflowFailedError && /invalid archiving input: chunkSize must be an integer/.test(String(err.cause?.message)),
    );
  });
});
