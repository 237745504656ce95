/**
 * Integration test of the MLflow tracking server of the stack through the project's REST client:
 * experiment, run, params/metrics/tags, artifacts through the proxy, and the model registry.
 * Needs the server: `npm run stack -- up mlflow` (or MLFLOW_TRACKING_URI).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { batchLimits, chunkBatch, createMlflowClient, isMlflowError, MlflowError, type Metric } from '../common/clients/mlflow';
import { config } from '../common/config';
import { mlflow } from '../infra/services/mlflow';
import { customModelDevelopment, experimentKindTag, markModelTrainingExperiment, runsViewKey } from '../common/clients/mlflow-ui';
import { mlmodelFile, splitDatasets } from '../activities/training/mlflow-model-file';

describe('mlflow', () => {
  const cfg = config();
  const client = createMlflowClient(cfg);
  const suffix = `${Date.now()}-${randomUUID().slice(0, 8)}`;
  const experimentName = `test-flight-delay-${suffix}`;
  const modelName = `test-flight-delay-classifier-${suffix}`;
  const alias = 'champion';
  let experimentId: string | undefined;
  let runId = '';
  let modelCreated = false;

  after(async () => {
    if (modelCreated) {
      await client.deleteRegisteredModel(modelName);
      await assert.rejects(client.getRegisteredModel(modelName), (e) => isMlflowError(e, 'RESOURCE_DOES_NOT_EXIST'));
    }
    if (experimentId) {
      for (const r of await client.searchRuns([experimentId])) {
        await client.deleteArtifacts(r.info.runId);
        assert.deepEqual(await client.listArtifacts(r.info.runId), []);
      }
      await client.deleteExperiment(experimentId);
      assert.equal((await client.getExperimentByName(experimentName))?.lifecycleStage, 'deleted');
    }
  });

  it('the stack probe finds the REST API and a migrated database', async () => {
    const r = await mlflow.probe(cfg);
    assert.equal(r.ok, true, r.detail);
  });

  it('creates an experiment once and finds it by name', async () => {
    assert.equal(await client.getExperimentByName(experimentName), undefined);
    experimentId = await client.getOrCreateExperiment(experimentName);
    assert.match(experimentId, /^\d+$/);
    assert.equal(await client.getOrCreateExperiment(experimentName), experimentId);
    const exp = await client.getExperimentByName(experimentName);
    assert.equal(exp?.experimentId, experimentId);
    assert.equal(exp?.lifecycleStage, 'active');
    await assert.rejects(client.createExperiment(experimentName), (e) => isMlflowError(e, 'RESOURCE_ALREADY_EXISTS'));
  });

  it('runs a run: params, a metric series, tags, artifacts, FINISHED', async () => {
    assert.ok(experimentId);
    const started = Date.now();
    const created = await client.createRun(experimentId, { runName: 'integration', tags: { purpose: 'test' } });
    runId = created.info.runId;
    assert.equal(created.info.status, 'RUNNING');
    assert.equal(created.info.runName, 'integration');
    assert.ok(created.info.startTime >= started - 5000, 'start time is now');
    assert.match(created.info.artifactUri, new RegExp(`^mlflow-artifacts:/+${experimentId}/${runId}/artifacts$`));

    await client.logParam(runId, 'numTrees', 20);
    const losses = [1.2, 0.9, 0.7, 0.65, 0.61];
    await client.logBatch(runId, {
      params: { maxDepth: 5, impurity: 'gini' },
      metrics: losses.map((value, step) => ({ key: 'loss', value, step })),
      tags: { stage: 'train' },
    });
    await client.logMetric(runId, 'accuracy', 0.59);
    await client.setTag(runId, 'model.type', 'random-forest');

    const text = `flight delay notes ${suffix}\nDayOfWeek is 1-7, Monday = 1\n`;
    await client.uploadArtifact(runId, 'notes/readme.txt', text, 'text/plain');
    await client.uploadArtifact(runId, 'model/forest.json', JSON.stringify({ trees: 20 }), 'application/json');
    assert.equal((await client.downloadArtifact(runId, 'notes/readme.txt')).toString('utf8'), text);
    const top = await client.listArtifacts(runId);
    assert.deepEqual(top.map((f) => [f.path, f.isDir]).sort(), [['model', true], ['notes', true]]);
    const notes = await client.listArtifacts(runId, 'notes');
    assert.deepEqual(notes, [{ path: 'notes/readme.txt', isDir: false, fileSize: Buffer.byteLength(text) }]);
    await assert.rejects(client.downloadArtifact(runId, 'notes/missing.txt'), MlflowError);

    const ended = await client.updateRun(runId, 'FINISHED');
    assert.equal(ended.status, 'FINISHED');

    const run = await client.getRun(runId);
    assert.equal(run.info.status, 'FINISHED');
    assert.ok(run.info.endTime !== undefined && run.info.endTime >= run.info.startTime);
    assert.deepEqual(run.data.params, { numTrees: '20', maxDepth: '5', impurity: 'gini' });
    assert.deepEqual(run.data.metrics, { loss: 0.61, accuracy: 0.59 });
    assert.equal(run.data.tags.purpose, 'test');
    assert.equal(run.data.tags.stage, 'train');
    assert.equal(run.data.tags['model.type'], 'random-forest');
    assert.equal(run.data.tags['mlflow.runName'], 'integration');

    const history = await client.getMetricHistory(runId, 'loss');
    assert.deepEqual(history.map((m) => [m.step, m.value]), losses.map((v, i) => [i, v]));

    assert.deepEqual((await client.searchRuns([experimentId], "params.numTrees = '20'")).map((r) => r.info.runId), [runId]);
    assert.deepEqual(await client.searchRuns([experimentId], "params.numTrees = '99'"), []);
    assert.deepEqual((await client.searchRuns([experimentId], "attributes.status = 'FINISHED'")).length, 1);
  });

  it('errors carry the error code, the message and the endpoint', async () => {
    const err = await client.getRun('0123456789abcdef0123456789abcdef').then(
      () => assert.fail('getRun of an unknown run should reject'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof MlflowError);
    assert.equal(err.errorCode, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal(err.status, 404);
    assert.equal(err.endpoint, 'GET /api/2.0/mlflow/runs/get');
    assert.match(err.message, /0123456789abcdef0123456789abcdef/);

    await assert.rejects(client.logParam(runId || 'x', 'bad key?!', 1), (e) => isMlflowError(e, 'INVALID_PARAMETER_VALUE'));
  });

  it('registers model versions and moves the champion alias', async () => {
    assert.ok(runId, 'the run test ran first');
    const model = await client.createRegisteredModel(modelName, { description: 'integration test' });
    modelCreated = true;
    assert.equal(model.name, modelName);
    assert.equal((await client.createRegisteredModel(modelName)).name, modelName, 'creating again is fine');
    assert.equal(await client.getModelVersionByAlias(modelName, alias), undefined);

    const source = await client.artifactUri(runId, 'model');
    assert.match(source, /^mlflow-artifacts:.*\/artifacts\/model$/);
    const v1 = await client.createModelVersion(modelName, source, runId, { tags: { accuracy: '0.59' } });
    assert.equal(v1.version, '1');
    const got = await client.getModelVersion(modelName, v1.version);
    assert.equal(got.runId, runId);
    assert.equal(got.source, source);
    assert.equal(got.status, 'READY');
    assert.equal(got.tags.accuracy, '0.59');

    await client.setRegisteredModelAlias(modelName, alias, v1.version);
    assert.equal((await client.getModelVersionByAlias(modelName, alias))?.version, '1');

    const v2 = await client.createModelVersion(modelName, source, runId);
    assert.equal(v2.version, '2');
    await client.setRegisteredModelAlias(modelName, alias, v2.version);
    const champion = await client.getModelVersionByAlias(modelName, alias);
    assert.equal(champion?.version, '2');
    assert.deepEqual(champion?.aliases, [alias]);
    assert.deepEqual((await client.getRegisteredModel(modelName)).aliases, { [alias]: '2' });

    await client.deleteRegisteredModelAlias(modelName, alias);
    assert.equal(await client.getModelVersionByAlias(modelName, alias), undefined);
    assert.equal(await client.getModelVersionByAlias(`${modelName}-none`, alias), undefined);
  });

  it('marks the experiment as a model-training one with a shared runs view', async () => {
    assert.ok(experimentId);
    await markModelTrainingExperiment(client, experimentId);
    await markModelTrainingExperiment(client, experimentId);
    const tags = (await client.getExperimentByName(experimentName))?.tags ?? {};
    assert.equal(tags[experimentKindTag], customModelDevelopment);
    const view = JSON.parse(tags[`mlflow.sharedViewState.${runsViewKey}`] ?? '{}') as { selectedColumns?: string[] };
    assert.ok(view.selectedColumns?.includes('metrics.`accuracy`'), JSON.stringify(view));
  });

  it('logs a model as an MLflow logged model with its MLmodel file, output by the run, and registers a version from it', async () => {
    assert.ok(experimentId && runId && modelCreated, 'the run and registry tests ran first');
    const created = await client.createLoggedModel(experimentId, { name: 'flight-delay-classifier', modelType: 'random-forest', sourceRunId: runId, params: { numTrees: '20' } });
    assert.equal(created.status, 'LOGGED_MODEL_PENDING');
    assert.match(created.artifactUri, /^mlflow-artifacts:.*\/models\/m-[0-9a-f]+\/artifacts$/);
    const mlmodel = mlmodelFile({ modelId: created.modelId, runId, features: ['DepDelay', 'Carrier_index', 'Route_index'], createdAt: new Date() });
    await client.uploadLoggedModelArtifact(created, 'MLmodel', mlmodel, 'text/yaml');
    await client.uploadLoggedModelArtifact(created, 'model.json', '{"trees":20}', 'application/json');
    await client.logOutputs(runId, [created.modelId]);
    const ready = await client.finalizeLoggedModel(created.modelId);
    assert.equal(ready.status, 'LOGGED_MODEL_READY');

    const [found] = await client.searchLoggedModels([experimentId], `source_run_id = '${runId}'`);
    assert.equal(found?.modelId, created.modelId);
    assert.equal(found?.params.numTrees, '20');
    const text = (await client.downloadLoggedModelArtifact(created, 'MLmodel')).toString('utf8');
    assert.equal(text, mlmodel);
    assert.match(text, /^flavors:\n {2}flight_delay:\n/m);
    assert.match(text, /^ {2}inputs: '\[\{"type":"string","name":"Origin","required":true\}/m);
    assert.match(text, /"name":"DepDelay","required":false/);
    assert.match(text, /^ {2}outputs: '\[\{"type":"string","name":"prediction"/m);
    assert.deepEqual((await client.getRunIo(runId)).outputModelIds, [created.modelId]);

    const version = await client.createModelVersion(modelName, created.artifactUri, runId, { modelId: created.modelId });
    const got = await client.getModelVersion(modelName, version.version);
    assert.equal(got.source, created.artifactUri);
    assert.equal(got.runId, runId);
    const versions = JSON.parse((await client.getLoggedModel(created.modelId)).tags['mlflow.modelVersions'] ?? '[]') as { name: string; version: number }[];
    assert.deepEqual(versions, [{ name: modelName, version: Number(version.version) }]);
    await assert.rejects(client.createModelVersion(modelName, await client.artifactUri(runId, 'model'), runId, { modelId: created.modelId }), (e) => isMlflowError(e, 'INVALID_PARAMETER_VALUE'));
  });

  it("records the split's two sides as the run's dataset inputs", async () => {
    assert.ok(experimentId);
    const { info } = await client.createRun(experimentId, { runName: 'datasets' });
    const prepared = {
      dir: '/x', dataset: 'nycflights13', datasetHash: 'ab'.repeat(32), rowsRead: 100, rowsKept: 90, rowsDropped: 10, rowsMalformed: 0,
      trainRows: 70, testRows: 20, features: ['DepDelay', 'Origin_index'], split: 'time' as const, cutDate: '2013-11-01',
      trainDates: { first: '2013-01-01', last: '2013-10-31' }, testDates: { first: '2013-11-01', last: '2013-12-31' },
    };
    const inputs = splitDatasets(prepared, { testFraction: 0.2, splitSeed: 42 });
    await client.logInputs(info.runId, inputs);
    await client.logInputs(info.runId, inputs); // a retried activity adds nothing
    const { datasets } = await client.getRunIo(info.runId);
    assert.deepEqual(datasets.map((d) => [d.dataset.name, d.tags['mlflow.data.context']]).sort(), [['nycflights13-test', 'evaluation'], ['nycflights13-train', 'training']]);
    const test = datasets.find((d) => d.dataset.name === 'nycflights13-test')!;
    assert.deepEqual(JSON.parse(test.dataset.profile ?? '{}'), {
      rows: 20, split: 'time', split_rule: 'time: train before 2013-11-01, test on and after it', cut_date: '2013-11-01', first_date: '2013-11-01', last_date: '2013-12-31',
    });
    assert.match(test.dataset.digest, /^[0-9a-f]{12}$/);
    assert.notEqual(test.dataset.digest, datasets.find((d) => d.dataset.name === 'nycflights13-train')!.dataset.digest);
    await client.updateRun(info.runId, 'FINISHED');
  });

  it('logs a batch larger than one request allows', async () => {
    assert.ok(experimentId);
    const { info } = await client.createRun(experimentId, { runName: 'big-batch' });
    const params = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, i]));
    const metrics: Metric[] = Array.from({ length: 1200 }, (_, step) => ({ key: 'curve', value: step / 1200, step }));
    await client.logBatch(info.runId, { params, metrics });
    const run = await client.getRun(info.runId);
    assert.equal(Object.keys(run.data.params).length, 150);
    assert.equal(run.data.params.p149, '149');
    assert.equal((await client.getMetricHistory(info.runId, 'curve')).length, 1200);
    await client.updateRun(info.runId, 'KILLED');
    assert.equal((await client.getRun(info.runId)).info.status, 'KILLED');
  });

  it('splits batches within every MLflow limit', () => {
    const kv = (n: number, size = 10) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(size) }));
    const metrics = Array.from({ length: 2500 }, (_, step) => ({ key: 'm', value: step, step, timestamp: 0 }));
    const chunks = chunkBatch(metrics, kv(250), kv(120, 7000));
    for (const c of chunks) {
      assert.ok(c.params.length <= batchLimits.params);
      assert.ok(c.tags.length <= batchLimits.tags);
      assert.ok(c.metrics.length <= batchLimits.metrics);
      assert.ok(c.params.length + c.tags.length + c.metrics.length <= batchLimits.entities);
      assert.ok(JSON.stringify(c).length <= 1_000_000);
    }
    assert.equal(chunks.reduce((n, c) => n + c.metrics.length, 0), 2500);
    assert.equal(chunks.reduce((n, c) => n + c.params.length, 0), 250);
    assert.equal(chunks.reduce((n, c) => n + c.tags.length, 0), 120);
    assert.deepEqual(chunkBatch([], [], []), []);
  });
});
