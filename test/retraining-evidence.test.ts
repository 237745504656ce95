import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Db, MongoClient } from 'mongodb';
import { outcomeJoin } from '../activities/outcomes/outcome-join';
import { createMlflowClient } from '../common/clients/mlflow';
import { createMongoClient, database } from '../common/clients/mongo';
import type { ModelEvent } from '../common/contracts/monitoring';
import { mlflowTags, workflowTypes } from '../common/names';
import { modelArtifactPath, type ModelRegistry } from '../common/model-registry';
import type { FlightActual } from '../common/outcomes/actual';
import type { FlightPrediction } from '../common/outcomes/flight-prediction';
import { binCodes, type FeatureProfile } from '../models/feature-profile';
import { Random } from '../models/random';
import { createOutcomesWorker, type OutcomesWorker } from '../workers/outcomes-worker';
import { promoteSmallChampion } from './support/small-champion';
import { trainingTestSettings } from './support/training';
import { loadConfig } from '../common/config';
import { delayOfClass, monitor } from './support/monitor-run';

/**
 * Retraining on evidence, on the real stack: a champion with a training profile, days of outcomes drawn
 * from the very distributions it was trained and tested on (noise: no trigger), then a day whose DepDelay
 * moved (a synthetic shift: the first monitor run after it starts a retraining, with its evidence).
 */
describe('retraining on evidence', () => {
  const id = randomUUID().slice(0, 8);
  const settings = trainingTestSettings('retrain');
  const env = { ...settings.env, RETRAIN_MIN_INTERVAL_MINUTES: '60', RETRAIN_WINDOW_DAYS: '3', RETRAIN_MIN_OUTCOMES: '500', RETRAIN_EVAL_DAYS: '2', RETRAIN_HISTORY_DAYS: '35' };
  const cfg = loadConfig({ ...process.env, ...env });
  const taskQueue = `outcomes-retrain-${id}`;
  const retrainingQueue = `no-training-worker-${id}`;
  const retrainingWorkflowId = `test-retraining-${id}`;
  const collections = { actuals: `test_actuals_retrain_${id}`, predictions: `test_flight_predictions_retrain_${id}`, outcomes: `test_outcomes_retrain_${id}` };
  const monitoringCollection = `test_monitoring_retrain_${id}`;
  const eventsCollection = `test_events_retrain_${id}`;
  let version: string;
  let registry: ModelRegistry;
  let profile: FeatureProfile;
  let heldOut: number;
  let mongo: MongoClient;
  let db: Db;
  let outcomes: OutcomesWorker;
  let running: Promise<void>;
  const random = new Random(11);

  before(async () => {
    ({ registry, version } = await promoteSmallChampion(cfg));
    const { model } = await registry.load(version);
    profile = model.info.featureProfile!;
    heldOut = model.info.evaluation.accuracy;
    mongo = await createMongoClient(cfg);
    db = database(mongo, cfg);
    outcomes = await createOutcomesWorker(cfg, {
      taskQueue,
      names: { actuals: `test-actuals-retrain-${id}`, deadLetter: `test-actuals-retrain-${id}.dlq`, collections },
      consumerGroup: `test-actuals-retrain-${id}`,
      monitoringCollection,
      eventsCollection,
      retrainingQueue,
      retrainingWorkflowId,
    });
    running = outcomes.worker.run();
  });

  after(async () => {
    await outcomes?.temporal.client.workflow.getHandle(retrainingWorkflowId).terminate('test over').catch(() => undefined);
    outcomes?.worker.shutdown();
    await running;
    await outcomes?.close();
    for (const c of [...Object.values(collections), monitoringCollection, eventsCollection]) await db?.collection(c).drop().catch(() => undefined);
    await mongo?.close();
  });

  /** A bin drawn from `shares`. */
  const draw = (shares: readonly number[]): number => {
    let u = random.nextFloat();
    for (let b = 0; b < shares.length; b++) if ((u -= shares[b]!) < 0) return b;
    return shares.length - 1;
  };

  /**
   * A day of `n` flights predicted by the champion and arrived: each feature's bin drawn from the training
   * profile (DepDelay's from `depDelayShares` instead, when given), right as often as on its held-out rows.
   */
  async function day(date: string, n: number, depDelayShares?: number[]): Promise<void> {
    const predictions: FlightPrediction[] = [];
    const actuals: FlightActual[] = [];
    for (let i = 0; i < n; i++) {
      const flight = { FlightDate: date, Carrier: 'B6', FlightNum: String(i), Origin: 'JFK', Dest: 'BOS' };
      const key = `${date}|B6|${i}|JFK|BOS`;
      const predicted = random.nextInt(4);
      const right = random.nextFloat() < heldOut;
      const actual = right ? predicted : (predicted + 1 + random.nextInt(3)) % 4;
      const bins = profile.features.map((f) => draw(f.name === 'DepDelay' && depDelayShares ? depDelayShares : f.shares));
      predictions.push({
        _id: `${key}#batch:${date}:t${i}`, FlightKey: key, FlightDate: date, Source: 'batch', PredictionId: `${date}:t${i}`, ModelVersion: version, Role: 'champion',
        Prediction: predicted, Probabilities: [0, 1, 2, 3].map((c) => (c === predicted ? 0.55 : 0.15)), ScoredAt: `${date}T04:00:00.000Z`, FeatureBins: binCodes(bins),
      });
      actuals.push({ ...flight, ArrDelay: delayOfClass[actual]!, ArrTime: null });
    }
    const join = outcomeJoin(db, collections);
    await join.recordPredictions(predictions);
    await join.recordActuals(actuals);
  }

  it('starts no retraining over a week of outcomes as the champion was trained and tested on (noise)', { timeout: 300_000 }, async () => {
    for (let d = 1; d <= 7; d++) {
      const date = `2013-11-0${d}`;
      await day(date, 900);
      const result = await monitor(outcomes, taskQueue, [date]);
      assert.ok(result.retraining, 'the champion\'s evidence was weighed');
      assert.deepEqual(result.retraining.evidence.reasons, [], `${date}: ${JSON.stringify(result.retraining.evidence)}`);
      assert.equal(result.retraining.start, undefined);
      // Drift measured: every feature's PSI small against its own training distribution.
      const psi = result.retraining.evidence.drifted;
      assert.deepEqual(psi, []);
    }
    assert.equal(await db.collection(eventsCollection).countDocuments({}), 0);
  });

  it('starts a retraining at the first monitor run after a feature shifted, with its evidence, at most once an interval', { timeout: 300_000 }, async () => {
    const dep = profile.features.find((f) => f.name === 'DepDelay')!;
    // DepDelay moved up: all of the day's flights in the two highest of its value bins.
    const shifted = dep.shares.map((_, b) => (b === dep.shares.length - 2 || b === dep.shares.length - 3 ? 0.5 : 0));
    await day('2013-11-08', 900, shifted);
    const result = await monitor(outcomes, taskQueue, ['2013-11-08']);
    const start = result.retraining?.start;
    assert.ok(start, `a retraining started: ${JSON.stringify(result.retraining)}`);
    assert.match(start.input.reason ?? '', /DepDelay drifted on 2013-11-08/);
    assert.deepEqual([start.input.split, start.input.from, start.input.through, start.input.cutDate], ['time', '2013-10-05', '2013-11-08', '2013-11-07']);
    // The training workflow, started as a child of the monitor's run (its queue here has no worker: it waits, as a busy one would).
    const described = await outcomes.temporal.client.workflow.getHandle(retrainingWorkflowId).describe();
    assert.equal(described.type, workflowTypes.training);
    assert.equal(described.status.name, 'RUNNING');
    assert.ok(described.parentExecution?.workflowId?.startsWith('test-monitor-'), 'a child of the monitor run');
    const [event] = await db.collection<ModelEvent>(eventsCollection).find({ Kind: 'retraining' }).toArray();
    assert.equal(event?.Status, 'started');
    assert.equal(event?.WorkflowRunId, described.runId);
    assert.ok(event?.Reasons.some((r) => /DepDelay/.test(r)));
    // Calendar features are not among the reasons, however much a one-day window moves them.
    assert.ok(!event?.Reasons.some((r) => /DayOf/.test(r)));

    // The next day is as shifted, but one retraining per RETRAIN_MIN_INTERVAL_MINUTES: skipped, and said why.
    await day('2013-11-09', 900, shifted);
    const again = await monitor(outcomes, taskQueue, ['2013-11-09']);
    assert.equal(again.retraining?.start, undefined);
    assert.match(again.retraining?.skipped ?? '', /RETRAIN_MIN_INTERVAL_MINUTES=60/);
    assert.equal(await db.collection(eventsCollection).countDocuments({ Kind: 'retraining' }), 1);

    // The training finishes (here: its MLflow run made by hand, as the training workflow leaves it) and the next run says how it ended.
    const mlflow = createMlflowClient(cfg);
    const run = await mlflow.createRun(await mlflow.getOrCreateExperiment(cfg.mlflow.experiment), {
      runName: 'retraining (test)',
      tags: { [mlflowTags.workflowId]: retrainingWorkflowId, [mlflowTags.workflowRunId]: described.runId, promoted: 'true' },
    });
    const text = JSON.stringify((await registry.load(version)).model);
    await mlflow.uploadArtifact(run.info.runId, modelArtifactPath, text, 'application/json');
    await mlflow.updateRun(run.info.runId, 'FINISHED');
    const retrained = (await registry.register(run.info.runId, text, 0.5)).version;
    await monitor(outcomes, taskQueue, ['2013-11-09']);
    const settled = await db.collection<ModelEvent>(eventsCollection).findOne({ Kind: 'retraining' });
    assert.deepEqual([settled?.Version, settled?.Status], [retrained, 'promoted']);
  });
});
