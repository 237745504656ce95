import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BoostedTreesClassifier, type BoostedOptions } from './index';
import type { FeatureSpec } from '../forest';
import { decodeArray, encodeArray } from '../forest/codec';
import { Random } from '../random';
import { ObliviousScorer, type ObliviousEnsemble } from './oblivious-ensemble';
import { compileKernel, kernelBinary } from './kernel/build-kernel';
import { walkKernelAvailable } from './kernel/walk-kernel';
import { accuracy, majorityShare } from '../../test/support/forest-fit';
import { splitRows, syntheticSet } from '../../test/support/forest-data';

const [train, test] = splitRows(syntheticSet({ rows: 6000, numeric: 3, noise: 1, arities: [12, 300], seed: 5 }), 5000);
const small: Partial<BoostedOptions> = { treeShape: 'oblivious', numRounds: 40, maxDepth: 5, seed: 3 };
const fit = (options: Partial<BoostedOptions> = small): Promise<BoostedTreesClassifier> =>
  new BoostedTreesClassifier(options).fit(train.X, train.y, train.features, train.numClasses);

describe('boosted oblivious trees', () => {
  it('beat the majority class clearly, one tree per round for all classes', async (t) => {
    const model = await fit();
    const acc = accuracy(model.predict(test.X), test.y);
    const baseline = majorityShare(test.y, test.numClasses);
    t.diagnostic(`accuracy ${acc.toFixed(3)} after ${model.rounds} rounds (${model.numTrees} trees), majority class ${baseline.toFixed(3)}`);
    assert.ok(acc > baseline + 0.1, `accuracy ${acc.toFixed(3)} vs majority ${baseline.toFixed(3)}`);
    assert.equal(model.numTrees, model.rounds);
    const proba = model.predictProba(test.X);
    for (let r = 0; r < 10; r++) assert.ok(Math.abs(proba.subarray(4 * r, 4 * r + 4).reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(Math.abs(model.featureImportances().reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it('save and load (version 2, treeShape oblivious) to identical probabilities; reproducible from the seed', async () => {
    const model = await fit();
    const json = JSON.parse(JSON.stringify(model)) as { version: number; options: BoostedOptions; oblivious?: unknown; trees?: unknown };
    assert.equal(json.version, 2);
    assert.equal(json.options.treeShape, 'oblivious');
    assert.ok(json.oblivious && !json.trees);
    assert.deepEqual(BoostedTreesClassifier.load(json).predictProba(test.X), model.predictProba(test.X));
    assert.deepEqual((await fit()).toJSON(), model.toJSON());
    assert.notDeepEqual((await fit({ ...small, seed: 4 })).toJSON().oblivious, model.toJSON().oblivious);
  });

  it('grow the same model on 1, 2 and 3 threads, bit for bit', async () => {
    const options = { ...small, numRounds: 12, subsample: 0.7, colsample: 0.8 };
    const models = await Promise.all([1, 2, 3].map((threads) => fit({ ...options, threads })));
    const [one, ...others] = models.map((m) => JSON.stringify(m.toJSON()));
    for (const other of others) assert.equal(other, one);
  });

  it('refuse a saved ensemble whose arrays do not fit its depth and rounds, naming the field', async () => {
    const json = (await fit({ ...small, numRounds: 5 })).toJSON();
    const o = json.oblivious!;
    assert.throws(() => BoostedTreesClassifier.load({ ...json, oblivious: { ...o, depth: 4 } }), /json\.oblivious\.feature: expected 20 levels/);
    assert.throws(() => BoostedTreesClassifier.load({ ...json, oblivious: { ...o, leafValues: o.feature } }), /json\.oblivious\.leafValues/);
    assert.throws(() => BoostedTreesClassifier.load({ ...json, oblivious: undefined }), /json\.oblivious: expected an object/);
    const values = decodeArray(o.leafValues, Float64Array, 'leafValues');
    values[7] = Number.NaN;
    assert.throws(() => BoostedTreesClassifier.load({ ...json, oblivious: { ...o, leafValues: encodeArray(values) } }), /json\.oblivious\.leafValues: expected finite numbers/);
  });

  const bad: [Record<string, unknown>, string][] = [
    [{ treeShape: 'round' }, 'options.treeShape'],
    [{ treeShape: 'oblivious', maxDepth: 13 }, 'options.maxDepth'],
    [{ treeShape: 'oblivious', maxBins: 40_000 }, 'options.maxBins'],
  ];
  for (const [options, name] of bad) {
    it(`reject ${JSON.stringify(options)}, naming ${name}`, () => {
      assert.throws(() => new BoostedTreesClassifier(options), (e: unknown) => e instanceof RangeError && e.message.startsWith(`${name}:`));
    });
  }

  it('take their own defaults (8 levels, 250 rounds at 0.25) unless told otherwise; leaf-wise trees keep theirs', () => {
    const o = new BoostedTreesClassifier({ treeShape: 'oblivious' }).options;
    assert.deepEqual([o.maxDepth, o.numRounds, o.learningRate], [8, 250, 0.25]);
    assert.equal(new BoostedTreesClassifier({ treeShape: 'oblivious', maxDepth: 6 }).options.maxDepth, 6);
    const leafwise = new BoostedTreesClassifier({}).options;
    assert.deepEqual([leafwise.treeShape, leafwise.maxDepth, leafwise.numRounds], ['leafwise', 20, 300]);
  });

  it('send missing values (NaN) to the side training learnt them on', async () => {
    // y = 1 when x > 0.5 or x is missing: the missing rows go right, with the high values.
    const n = 4000;
    const features: FeatureSpec[] = [{ name: 'x', kind: 'numeric' }];
    const X = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? Number.NaN : (i % 997) / 997));
    const y = Uint8Array.from(X, (x) => (Number.isNaN(x) || x > 0.5 ? 1 : 0));
    const model = await new BoostedTreesClassifier({ treeShape: 'oblivious', numRounds: 20, maxDepth: 2, validationFraction: 0 }).fit(X, y, features, 2);
    const [nan, low, high] = [0, 1, 2].map((r) => model.predictProba(Float64Array.of(Number.NaN, 0.2, 0.9))[2 * r + 1]!);
    assert.ok(nan! > 0.9 && high! > 0.9 && low! < 0.1, `P(class 1): missing ${nan}, 0.2 ${low}, 0.9 ${high}`);
  });
});

describe('the oblivious walk in WebAssembly', () => {
  it('is compiled from its source: the committed binary is what oblivious-walk.wat compiles to', async () => {
    assert.deepEqual(Buffer.from(await compileKernel()), readFileSync(kernelBinary), 'run npm run build:kernel');
    assert.ok(walkKernelAvailable, 'WebAssembly SIMD is available on Node 20');
  });

  /** A random ensemble over d features, some thresholds +∞ (present values left, missing right). */
  function randomEnsemble(trees: number, depth: number, k: number, d: number, rng: Random): ObliviousEnsemble {
    return {
      numClasses: k,
      depth,
      feature: Int32Array.from({ length: trees * depth }, () => rng.nextInt(d)),
      threshold: Float64Array.from({ length: trees * depth }, () => (rng.nextFloat() < 0.05 ? Infinity : Math.round(rng.nextNormal() * 50) / 10)),
      leafValues: Float64Array.from({ length: trees * (1 << depth) * k }, () => rng.nextNormal()),
    };
  }

  for (const [k, depth] of [[4, 8], [3, 5], [4, 1], [2, 12]] as const) {
    it(`adds exactly what the walk in JS adds (k = ${k}, depth ${depth}, rows across blocks, missing values)`, () => {
      const rng = new Random(k * 100 + depth);
      const d = 7;
      const e = randomEnsemble(60, depth, k, d, rng);
      const n = 1000 + depth; // four blocks of 256 rows and a ragged end
      const X = Float64Array.from({ length: n * d }, () => (rng.nextFloat() < 0.1 ? Number.NaN : rng.nextNormal() * 5));
      const wasm = new Float64Array(n * k);
      const js = new Float64Array(n * k);
      new ObliviousScorer(e, d).addScores(X, n, wasm);
      new ObliviousScorer(e, d, false).addScores(X, n, js);
      assert.deepEqual(wasm, js);
      // And the JS walk is the definition: a row's leaf has bit l set when x > threshold or x is missing.
      for (const r of [0, 1, n - 1]) {
        for (let c = 0; c < k; c++) {
          let sum = 0;
          for (let t = 0; t < 60; t++) {
            let leaf = 0;
            for (let l = 0; l < depth; l++) {
              const x = X[r * d + e.feature[t * depth + l]!]!;
              if (!(x <= e.threshold[t * depth + l]!)) leaf |= 1 << l;
            }
            sum += e.leafValues[((t << depth) + leaf) * k + c]!;
          }
          assert.ok(Math.abs(js[r * k + c]! - sum) < 1e-9, `row ${r} class ${c}: ${js[r * k + c]} vs ${sum}`);
        }
      }
    });
  }
});
