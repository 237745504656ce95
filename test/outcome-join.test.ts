import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Kafka, Producer } from 'kafkajs';
import type { Db, MongoClient } from 'mongodb';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { createMongoClient, database } from '../common/clients/mongo';
import { loadConfig } from '../common/config';
import { ensureActualsJoinWorkflow, type ActualsJoinStats } from '../common/contracts/actuals-join';
import { readOutcomes } from '../common/collections/outcomes';
import { actualClass, flightKey, type FlightActual } from '../common/outcomes/actual';
import type { FlightPrediction } from '../common/outcomes/flight-prediction';
import { outcomeJoin, type OutcomeCollections, type OutcomeJoin } from '../activities/outcomes/outcome-join';
import { createOutcomesWorker, type OutcomesWorker } from '../workers/outcomes-worker';
import { waitFor } from './support/wait-for';
import { createMlflowClient } from '../common/clients/mlflow';
import { windowTags } from '../activities/monitoring/mlflow-window-run';
import { workflowTypes } from '../common/names';
import type { MonitoringDocument, MonitorWorkflow } from '../common/contracts/monitoring';

const date = '2013-11-07';
const flight = (n: number): Omit<FlightActual, 'ArrDelay' | 'ArrTime'> => ({ FlightDate: date, Carrier: 'UA', FlightNum: String(1000 + n), Origin: 'EWR', Dest: 'ORD' });
const actual = (n: number, arrDelay: number): FlightActual => ({ ...flight(n), ArrDelay: arrDelay, ArrTime: null });

/** A prediction of flight `n` as the stream or the batch files it. */
function prediction(n: number, source: 'realtime' | 'batch', id: string, predicted = n % 4): FlightPrediction {
  const key = flightKey(flight(n));
  return {
    _id: `${key}#${source}:${id}`,
    FlightKey: key,
    FlightDate: date,
    Source: source,
    PredictionId: id,
    ModelVersion: '7',
    Role: 'champion',
    Prediction: predicted,
    Probabilities: [0, 1, 2, 3].map((c) => (c === predicted ? 0.7 : 0.1)),
    ScoredAt: '2013-11-07T05:00:00.000Z',
  };
}

/**
 * The actuals' join on the real stack: the outcomes worker in this process with topics, collections,
 * consumer group, task queue and workflow of its own; actuals through Kafka, predictions filed as the
 * stream and the batch file them. Each prediction with an actual is counted once, whatever the order
 * and however often either comes.
 */
describe('actual arrivals joined to predictions', () => {
  const id = randomUUID().slice(0, 8);
  const cfg = loadConfig(process.env);
  const mlflow = createMlflowClient(cfg);
  const names = { actuals: `test-actuals-${id}`, deadLetter: `test-actuals-${id}.dlq` };
  const collections: OutcomeCollections = { actuals: `test_actuals_${id}`, predictions: `test_flight_predictions_${id}`, outcomes: `test_outcomes_${id}` };
  const workflowId = `test-actuals-join-${id}`;
  const monitoringCollection = `test_monitoring_${id}`;
  const taskQueue = `outcomes-${id}`;
  let kafka: Kafka;
  let producer: Producer;
  let mongo: MongoClient;
  let db: Db;
  let outcomes: OutcomesWorker;
  let running: Promise<void>;
  let join: OutcomeJoin;

  const publish = async (values: readonly (FlightActual | string)[]): Promise<void> => {
    await producer.send({
      topic: names.actuals,
      acks: -1,
      messages: values.map((v) => (typeof v === 'string' ? { key: 'bad', value: v } : { key: flightKey(v), value: JSON.stringify(v) })),
    });
  };
  const stats = async (): Promise<ActualsJoinStats | undefined> => {
    const described = await outcomes.temporal.client.workflow.getHandle(workflowId).describe();
    const details = (described.raw.pendingActivities ?? [])[0]?.heartbeatDetails?.payloads?.[0]?.data;
    return details ? (JSON.parse(Buffer.from(details).toString('utf8')) as ActualsJoinStats) : undefined;
  };
  const consumedAtLeast = (n: number, what: string) => waitFor(async () => ((await stats())?.consumed ?? 0) >= n, 60_000, what);
  const outcomesOf = async (n: number) => (await readOutcomes(db, date, collections.outcomes)).filter((o) => o.id.startsWith(`${flightKey(flight(n))}#`));

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    kafka = createKafka(cfg, 'outcome-join-test');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [names.actuals, names.deadLetter], 3);
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    mongo = await createMongoClient(cfg);
    db = database(mongo, cfg);
    join = outcomeJoin(db, collections);
    outcomes = await createOutcomesWorker(cfg, { taskQueue, names: { ...names, collections }, consumerGroup: `test-actuals-group-${id}`, monitoringCollection });
    running = outcomes.worker.run();
    await ensureActualsJoinWorkflow(outcomes.temporal.client, { workflowId, taskQueue, input: { heartbeatTimeoutSeconds: 20 } });
  });

  after(async () => {
    await outcomes.temporal.client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    outcomes.worker.shutdown();
    await running;
    await outcomes.close();
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [names.actuals, names.deadLetter] }).catch(() => undefined);
    await admin.disconnect();
    for (const c of [...Object.values(collections), monitoringCollection]) await db.collection(c).drop().catch(() => undefined);
    await mongo.close();
  });

  it('joins an actual sent three times to each prediction of its flight once, and keeps the first report', async () => {
    await join.recordPredictions([prediction(1, 'realtime', 'u-1'), prediction(1, 'batch', `${date}:t-1`)]);
    await publish([actual(1, 42), actual(1, 42)]);
    await publish([actual(1, -30)]); // a later, different report of the same flight
    await consumedAtLeast(3, 'three reports of flight 1 consumed');
    const joined = await outcomesOf(1);
    assert.deepEqual(joined.map((o) => o.Source).sort(), ['batch', 'realtime']);
    for (const o of joined) {
      assert.equal(o.ArrDelay, 42, 'the first report wins');
      assert.equal(o.Actual, actualClass(42));
      assert.equal(o.Predicted, 1);
    }
    const s = await stats();
    assert.ok(s && s.stored >= 1 && s.repeated >= 2, `stored and repeated counted: ${JSON.stringify(s)}`);
  });

  it('keeps an actual that comes before its prediction, and joins it when the prediction comes (again and again)', async () => {
    await publish([actual(2, 5)]);
    await waitFor(async () => (await db.collection(collections.actuals).findOne({ _id: flightKey(flight(2)) as never })) ?? undefined, 60_000, 'the early actual stored');
    assert.equal((await outcomesOf(2)).length, 0, 'no prediction yet, no outcome');
    const late = prediction(2, 'realtime', 'u-2');
    const first = await join.recordPredictions([late]);
    assert.equal(first.joined, 1);
    await join.recordPredictions([late]); // the stream replays a batch after a crash
    const joined = await outcomesOf(2);
    assert.equal(joined.length, 1);
    assert.equal(joined[0]!.ArrDelay, 5);
  });

  it('keeps an actual without any prediction (training data), and joins nothing to it', async () => {
    await publish([actual(3, 90)]);
    const stored = await waitFor(async () => (await db.collection<{ _id: string; ArrDelay: number }>(collections.actuals).findOne({ _id: flightKey(flight(3)) })) ?? undefined, 60_000, 'the actual stored');
    assert.equal(stored.ArrDelay, 90);
    assert.equal((await outcomesOf(3)).length, 0);
  });

  it('joins each pair exactly once when predictions and actuals of 300 flights race, both sides repeated', async () => {
    const flights = Array.from({ length: 300 }, (_, i) => 100 + i);
    const before = (await stats())?.consumed ?? 0;
    const predictionsOf = (n: number) => [prediction(n, 'realtime', `r-${n}`), prediction(n, 'batch', `${date}:b-${n}`)];
    // Shuffled, in small batches, from both sides at once; every actual published twice, every prediction filed twice.
    const shuffled = <T>(xs: T[]): T[] => xs.map((x) => [Math.random(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
    const actualBatches = shuffled([...flights, ...flights]).reduce<number[][]>((acc, n, i) => (i % 20 === 0 ? [...acc, [n]] : (acc[acc.length - 1]!.push(n), acc)), []);
    const predictionBatches = shuffled([...flights, ...flights]).reduce<number[][]>((acc, n, i) => (i % 15 === 0 ? [...acc, [n]] : (acc[acc.length - 1]!.push(n), acc)), []);
    await Promise.all([
      (async () => {
        for (const b of actualBatches) await publish(b.map((n) => actual(n, n - 200)));
      })(),
      (async () => {
        for (const b of predictionBatches) await join.recordPredictions(b.flatMap(predictionsOf));
      })(),
    ]);
    await consumedAtLeast(before + 600, 'all 600 actuals consumed');
    const all = await readOutcomes(db, date, collections.outcomes);
    const raced = all.filter((o) => /#(realtime:r|batch:2013-11-07:b)-/.test(o.id));
    assert.equal(raced.length, 600, 'two predictions of each of 300 flights, once each');
    assert.equal(new Set(raced.map((o) => o.id)).size, 600);
    for (const o of raced) {
      const n = Number(o.id.split('-').pop());
      assert.equal(o.ArrDelay, n - 200, `flight ${n} joined to its own actual`);
    }
    const lines = (await db.collection<{ Count: number }>(collections.outcomes).find({}).toArray()).reduce((a, c) => a + c.Count, 0);
    console.log(`# race: ${raced.length} outcomes from ${lines} stored lines (${lines - all.length} written twice, read once)`);
  });

  it('sends a malformed actual to the dead-letter topic with the field and the reason, and goes on', async () => {
    const bad = JSON.stringify({ ...actual(4, 0), ArrDelay: 'late' });
    await publish([bad, '{not json', actual(5, 12)]);
    const consumer = kafka.consumer({ groupId: `test-dlq-reader-${id}` });
    await consumer.connect();
    await consumer.subscribe({ topic: names.deadLetter, fromBeginning: true });
    const letters: { value: string | null; headers: Record<string, string> }[] = [];
    await consumer.run({
      eachMessage: ({ message }) => {
        letters.push({ value: message.value?.toString() ?? null, headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
        return Promise.resolve();
      },
    });
    try {
      await waitFor(() => Promise.resolve(letters.length >= 2), 60_000, 'two dead letters');
    } finally {
      await consumer.disconnect();
    }
    const byValue = new Map(letters.map((l) => [l.value, l.headers]));
    assert.equal(byValue.get(bad)?.field, 'ArrDelay');
    assert.match(byValue.get(bad)?.reason ?? '', /ArrDelay/);
    assert.ok(byValue.get('{not json')?.reason, 'unparseable JSON has a reason');
    await waitFor(async () => (await db.collection(collections.actuals).findOne({ _id: flightKey(flight(5)) as never })) ?? undefined, 60_000, 'the good actual after them stored');
  });

  it('monitors a flight date: one window per source and model version, each outcome counted once', async () => {
    const joined = await readOutcomes(db, date, collections.outcomes);
    const summary = await outcomes.temporal.client.workflow.execute<MonitorWorkflow>(workflowTypes.monitoring, {
      taskQueue,
      workflowId: `test-monitor-${id}`,
      args: [{ dates: [date] }],
    });
    assert.deepEqual(summary.dates, [date]);
    assert.equal(summary.outcomes, joined.length);
    const windows = await db.collection<MonitoringDocument>(monitoringCollection).find({}).toArray();
    assert.deepEqual(windows.map((w) => w._id).sort(), [`${date}:batch:7:champion`, `${date}:realtime:7:champion`]);
    for (const w of windows) {
      const mine = joined.filter((o) => o.Source === w.Source);
      assert.equal(w.Rows, mine.length);
      assert.equal(w.Accuracy, mine.filter((o) => o.Predicted === o.Actual).length / mine.length);
      assert.equal(w.Confusion.reduce((a, b) => a + b, 0), mine.length);
      assert.equal(w.Confusion.length, 16);
      // Its MLflow run, linked to the model version, holds the same figures and the confusion matrix.
      assert.ok(w.MlflowRunId, 'the window has its MLflow run');
      const run = await mlflow.getRun(w.MlflowRunId);
      assert.equal(run.data.tags[windowTags.modelVersion], '7');
      assert.equal(run.data.tags[windowTags.window], w._id);
      assert.equal(run.data.metrics.live_accuracy, w.Accuracy);
      assert.ok((await mlflow.listArtifacts(w.MlflowRunId)).some((a) => a.path === 'confusion_matrix.png'));
    }
  });
});
