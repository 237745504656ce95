import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Consumer, KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { createApi, type Api } from '../api/app';
import { createKafka } from '../common/clients/kafka';
import { loadConfig, type Config } from '../common/config';
import { mongoNames } from '../common/names';
import { waitFor } from './support/wait-for';
import type { Db } from 'mongodb';
import { MONGO_DB } from '../api/tokens';
import { monitoringDocumentId, type MonitoringDocument } from '../common/contracts/monitoring';

const apiKey = 'test-key-0123456789abcdef';

/** POST /api/actuals on the real stack: validated like predictions, published keyed by the flight on a topic of the test's own. */
describe('POST /api/actuals', () => {
  const id = randomUUID().slice(0, 8);
  const names = { request: `test-req-${id}`, response: `test-resp-${id}`, actuals: `test-actuals-${id}`, resultsCollection: `test_results_${id}`, distancesCollection: mongoNames.distances };
  let cfg: Config;
  let api: Api;
  let http: ReturnType<typeof request>;
  let consumer: Consumer;
  const seen: KafkaMessage[] = [];

  before(async () => {
    cfg = loadConfig({ ...process.env, API_KEY: apiKey, LOG_LEVEL: 'warn' });
    api = await createApi(cfg, { names, streamingWorkflowId: `test-actuals-no-stream-${id}` });
    await api.app.listen(0, '127.0.0.1');
    http = request(api.app.getHttpServer());
    consumer = createKafka(cfg, `actuals-test-${id}`).consumer({ groupId: `actuals-test-${id}` });
    await consumer.connect();
    await consumer.subscribe({ topic: names.actuals, fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void seen.push(message)) });
  });
  after(async () => {
    await consumer.disconnect();
    await api.close();
  });

  const flight = { FlightDate: '2013-11-03', Carrier: 'UA', FlightNum: '1545', Origin: 'EWR', Dest: 'IAH', ArrDelay: 12 };
  const post = (body: unknown) => http.post('/api/actuals').set('x-api-key', apiKey).send(body as object);

  it('publishes one actual, or many, keyed by the flight, normalized, in the order given', async () => {
    const one = await post({ ...flight, Carrier: ' ua ' }).expect(202);
    assert.deepEqual(one.body, { accepted: 1, keys: ['2013-11-03|UA|1545|EWR|IAH'] });
    const many = await post([{ ...flight, FlightNum: 7, ArrDelay: -20, ArrTime: '2013-11-03T10:41' }, { ...flight, Origin: 'LGA', Dest: 'ORD', ArrDelay: 45 }]).expect(202);
    assert.deepEqual(many.body.keys, ['2013-11-03|UA|7|EWR|IAH', '2013-11-03|UA|1545|LGA|ORD']);

    await waitFor(() => Promise.resolve(seen.length >= 3), 20_000, 'the three actuals on the topic');
    const byKey = new Map(seen.map((m) => [m.key!.toString(), JSON.parse(m.value!.toString()) as Record<string, unknown>]));
    assert.deepEqual(byKey.get('2013-11-03|UA|1545|EWR|IAH'), { ...flight, ArrTime: null });
    assert.deepEqual(byKey.get('2013-11-03|UA|7|EWR|IAH'), { ...flight, FlightNum: '7', ArrDelay: -20, ArrTime: '2013-11-03T10:41' });
    assert.ok(seen.every((m) => m.headers?.['request-id'] !== undefined), 'each carries the HTTP request id');
  });

  it('refuses a bad field (400) or Origin = Dest (422) naming it, and publishes none of a refused array', async () => {
    const before = seen.length;
    await http.post('/api/actuals').send(flight).expect(401);
    const bad = await post({ ...flight, ArrDelay: '12' }).expect(400);
    assert.match(bad.body.message as string, /ArrDelay/);
    const same = await post([flight, { ...flight, Dest: 'EWR' }]).expect(422);
    assert.equal(same.body.field, '[1].Dest');
    assert.match(same.body.message as string, /same airport as Origin/);
    await post([]).expect(400);
    // More than 1,000: refused by the contract, or before it by the body size limit (API_BODY_LIMIT).
    const tooMany = await post(Array.from({ length: 1001 }, () => flight));
    assert.ok([400, 413].includes(tooMany.status), `1,001 actuals: ${tooMany.status}`);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(seen.length, before, 'nothing of a refused request was published');
  });
});

/** GET /api/monitoring on the real stack: the windows the monitoring workflow wrote, by flight date. */
describe('GET /api/monitoring', () => {
  let api: Api;
  let http: ReturnType<typeof request>;
  // A date no replay or test uses, cleaned up after.
  const date = '1999-12-31';
  const window: Omit<MonitoringDocument, '_id'> = {
    FlightDate: date,
    Source: 'realtime',
    ModelVersion: '3',
    Role: 'champion',
    Rows: 4,
    Accuracy: 0.5,
    WeightedF1: 0.5,
    LogLoss: 1.1,
    ECE: 0.2,
    Confusion: [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0],
    PredictedShare: [0.5, 0, 0.25, 0.25],
    ActualShare: [0.25, 0.25, 0.5, 0],
    HeldOutAccuracy: 0.53,
    PredictedClassPSI: 0.02,
    ActualClassPSI: null,
    FeatureDrift: [{ Feature: "DepDelay", PSI: 0.31 }],
    MlflowRunId: null,
    ComputedAt: '2026-11-30T03:00:00.000Z',
  };
  const monitoring = () => api.app.get<Db>(MONGO_DB).collection<MonitoringDocument>(mongoNames.modelMonitoring);

  before(async () => {
    const cfg = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
    api = await createApi(cfg, { streamingWorkflowId: `test-monitoring-no-stream-${randomUUID().slice(0, 8)}` });
    await api.app.listen(0, '127.0.0.1');
    http = request(api.app.getHttpServer());
    await monitoring().replaceOne({ _id: monitoringDocumentId(window) }, window, { upsert: true });
  });
  after(async () => {
    await monitoring().deleteOne({ _id: monitoringDocumentId(window) });
    await api.close();
  });

  it('answers the windows of the dates asked for, and refuses a bad date or count naming it', async () => {
    assert.deepEqual((await http.get(`/api/monitoring?from=${date}`).expect(200)).body, [window]);
    assert.deepEqual((await http.get('/api/monitoring?from=1999-12-29&days=3').expect(200)).body, [window]);
    assert.deepEqual((await http.get('/api/monitoring?from=1999-12-29&days=2').expect(200)).body, []);
    const badDate = await http.get('/api/monitoring?from=1999-13-01').expect(400);
    assert.match(badDate.body.message as string, /from/);
    const badDays = await http.get(`/api/monitoring?from=${date}&days=93`).expect(400);
    assert.match(badDays.body.message as string, /days/);
  });
});

