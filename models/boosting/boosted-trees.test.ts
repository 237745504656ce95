import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoostedTreesClassifier, type BoostedOptions } from './index';
import type { FeatureSpec } from '../forest';
import { decodeArray } from '../forest/codec';
import { accuracy, majorityShare } from '../../test/support/forest-fit';
import { splitRows, syntheticSet } from '../../test/support/forest-data';

const [train, test] = splitRows(syntheticSet({ rows: 6000, numeric: 3, noise: 1, arities: [12, 300], seed: 5 }), 5000);
const small: Partial<BoostedOptions> = { numRounds: 30, maxDepth: 4, seed: 3 };
const fit = (options: Partial<BoostedOptions> = small): Promise<BoostedTreesClassifier> =>
  new BoostedTreesClassifier(options).fit(train.X, train.y, train.features, train.numClasses);

describe('boosted trees', () => {
  it('beat the majority class clearly on numeric and high-arity categorical signal', async (t) => {
    const model = await fit({ ...small, numRounds: 60 });
    const acc = accuracy(model.predict(test.X), test.y);
    const baseline = majorityShare(test.y, test.numClasses);
    t.diagnostic(`accuracy ${acc.toFixed(3)} after ${model.rounds} rounds, majority class ${baseline.toFixed(3)}`);
    assert.ok(acc > baseline + 0.1, `accuracy ${acc.toFixed(3)} vs majority ${baseline.toFixed(3)}`);
    const proba = model.predictProba(test.X);
    for (let r = 0; r < 10; r++) assert.ok(Math.abs(proba.subarray(4 * r, 4 * r + 4).reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const imp = model.featureImportances();
    assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it('are reproducible from the seed, and differ with another seed', async () => {
    const a = await fit();
    const b = await fit();
    assert.deepEqual(a.toJSON(), b.toJSON());
    const c = await fit({ ...small, seed: 4 });
    assert.notDeepEqual(a.toJSON().trees, c.toJSON().trees);
  });

  it('grow the same model on 1, 2 and 3 threads, bit for bit, and never save the thread count', async () => {
    const options = { ...small, numRounds: 12, subsample: 0.7, colsample: 0.8 };
    const models = await Promise.all([1, 2, 3].map((threads) => fit({ ...options, threads })));
    const [one, ...others] = models.map((m) => JSON.stringify(m.toJSON()));
    for (const other of others) assert.equal(other, one);
    assert.ok(!('threads' in models[0]!.toJSON().options));
    assert.deepEqual(models[2]!.predictProba(test.X), models[0]!.predictProba(test.X));
  });

  it('grow leaf-wise up to maxLeaves, and as deep as maxDepth allows with 2^maxDepth leaves', async () => {
    const leavesOf = (m: BoostedTreesClassifier): number[] => {
      const { feature, roots } = m.toJSON().trees!;
      const f = decodeArray(feature, Int32Array, 'feature');
      const r = Array.from(decodeArray(roots, Int32Array, 'roots'));
      return r.map((start, t) => f.subarray(start, r[t + 1] ?? f.length).filter((x) => x < 0).length);
    };
    const capped = await fit({ ...small, maxDepth: 10, maxLeaves: 7 });
    const leaves = leavesOf(capped);
    assert.ok(Math.max(...leaves) === 7, `leaves per tree ${leaves.join(',')}`);
    // With room for every leaf a depth allows, best first grows the tree depth first grows: the same predictions.
    const full = await fit({ ...small, maxLeaves: 16 });
    const unlimited = await fit({ ...small, maxLeaves: 1 << 20 });
    assert.deepEqual(full.predictProba(test.X), unlimited.predictProba(test.X));
  });

  it('save and load to identical probabilities, through JSON text', async () => {
    const model = await fit();
    const copy = BoostedTreesClassifier.load(JSON.parse(JSON.stringify(model)));
    assert.deepEqual(copy.predictProba(test.X), model.predictProba(test.X));
    assert.equal(copy.rounds, model.rounds);
    assert.throws(() => BoostedTreesClassifier.load({ ...model.toJSON(), version: 3 }), /json\.version: expected 1 or 2/);
    // A version 1 file (before oblivious trees: no treeShape among its options) loads as leaf-wise trees.
    const { treeShape, ...v1Options } = model.toJSON().options;
    assert.equal(treeShape, 'leafwise');
    const v1 = BoostedTreesClassifier.load({ ...model.toJSON(), version: 1, options: v1Options });
    assert.deepEqual(v1.predictProba(test.X), model.predictProba(test.X));
    assert.throws(() => BoostedTreesClassifier.load({ ...model.toJSON(), type: 'RandomForestClassifier' }), /json\.type/);
    assert.throws(() => BoostedTreesClassifier.load({ ...model.toJSON(), rounds: model.rounds + 1 }), /json\.(trees\.roots|rounds)/);
  });

  it('stop early on the validation rows and keep the best round', async () => {
    const progress: number[] = [];
    const model = await new BoostedTreesClassifier({ numRounds: 400, learningRate: 1, maxDepth: 6, minSamplesLeaf: 1, earlyStoppingRounds: 3 }).fit(
      train.X, train.y, train.features, train.numClasses, { onProgress: (p) => progress.push(p.treesDone) },
    );
    const losses = model.validationLoss;
    assert.ok(progress.length < 400 && progress.length === losses.length, `grew ${progress.length} rounds`);
    assert.equal(losses.length, model.rounds + 3);
    assert.equal(Math.min(...losses), losses[model.rounds - 1]);
  });

  it('stop when aborted', async () => {
    const controller = new AbortController();
    const boosted = new BoostedTreesClassifier(small);
    const fitting = boosted.fit(train.X, train.y, train.features, train.numClasses, { onProgress: (p) => p.treesDone === 2 && controller.abort(new Error('stop')), signal: controller.signal });
    await assert.rejects(fitting, /stop/);
  });

  const bad: [Record<string, unknown>, string][] = [
    [{ numRounds: 0 }, 'options.numRounds'],
    [{ learningRate: 0 }, 'options.learningRate'],
    [{ learningRate: 1.5 }, 'options.learningRate'],
    [{ maxDepth: 0 }, 'options.maxDepth'],
    [{ maxBins: 1 }, 'options.maxBins'],
    [{ lambda: -1 }, 'options.lambda'],
    [{ minChildWeight: Number.NaN }, 'options.minChildWeight'],
    [{ minSamplesLeaf: 0 }, 'options.minSamplesLeaf'],
    [{ minSplitGain: -0.1 }, 'options.minSplitGain'],
    [{ subsample: 0 }, 'options.subsample'],
    [{ colsample: 2 }, 'options.colsample'],
    [{ validationFraction: 0.9 }, 'options.validationFraction'],
    [{ earlyStoppingRounds: 1.5 }, 'options.earlyStoppingRounds'],
    [{ seed: 'x' }, 'options.seed'],
    [{ numTrees: 3 }, 'options.numTrees'],
    [{ maxLeaves: 1 }, 'options.maxLeaves'],
    [{ threads: -1 }, 'options.threads'],
  ];
  for (const [options, name] of bad) {
    it(`reject ${JSON.stringify(options)}, naming ${name}`, () => {
      assert.throws(() => new BoostedTreesClassifier(options), (e: unknown) => e instanceof RangeError && e.message.startsWith(`${name}:`));
    });
  }
});

describe('boosted trees and missing values (NaN)', () => {
  // y = 1 when x > 0.5; the rows whose x is missing are class 0, like the low values.
  const n = 4000;
  const features: FeatureSpec[] = [{ name: 'x', kind: 'numeric' }];
  const X = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const missing = i % 5 === 0;
    X[i] = missing ? Number.NaN : (i % 997) / 997;
    y[i] = !missing && X[i]! > 0.5 ? 1 : 0;
  }

  it('learn which side missing values go', async () => {
    const model = await new BoostedTreesClassifier({ numRounds: 20, maxDepth: 2, validationFraction: 0 }).fit(X, y, features, 2);
    const [p0] = model.predictProba(Float64Array.of(Number.NaN));
    assert.ok(p0! > 0.9, `P(class 0 | missing) = ${p0}`);
    const [high0] = model.predictProba(Float64Array.of(0.9));
    assert.ok(high0! < 0.1, `P(class 0 | 0.9) = ${high0}`);
    assert.deepEqual(BoostedTreesClassifier.load(JSON.parse(JSON.stringify(model))).predictProba(Float64Array.of(Number.NaN, 0.2, 0.9)), model.predictProba(Float64Array.of(Number.NaN, 0.2, 0.9)));
  });

  it('split missing from present values when that is the signal, and score missing values never seen in training', async () => {
    const yMissing = Uint8Array.from(X, (v) => (Number.isNaN(v) ? 1 : 0));
    const model = await new BoostedTreesClassifier({ numRounds: 10, maxDepth: 1, validationFraction: 0 }).fit(X, yMissing, features, 2);
    assert.ok(model.predictProba(Float64Array.of(Number.NaN))[1]! > 0.9);
    assert.ok(model.predictProba(Float64Array.of(0.99))[1]! < 0.1);
    const complete = await new BoostedTreesClassifier({ numRounds: 5, maxDepth: 2, validationFraction: 0 }).fit(Float64Array.from(X, (v) => (Number.isNaN(v) ? 0.1 : v)), y, features, 2);
    const proba = complete.predictProba(Float64Array.of(Number.NaN));
    assert.ok(proba.every(Number.isFinite));
  });
});
