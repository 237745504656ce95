import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeatureSpec } from './feature-spec';
import { fitForest } from '../../test/support/forest-fit';
import { syntheticSet, type SyntheticSet } from '../../test/support/forest-data';
import { Random } from '../random';

/** One tree of one split on all rows: the split search alone decides the result. */
const stump = { numTrees: 1, maxDepth: 1, bootstrap: false, featureSubsetStrategy: 'all' } as const;

function gini(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : 1 - counts.reduce((s, c) => s + (c / total) ** 2, 0);
}

/** The Gini gain of splitting the rows by `goesLeft`. */
function gain(y: Uint8Array, k: number, goesLeft: (row: number) => boolean): number {
  const left = new Array<number>(k).fill(0);
  const right = new Array<number>(k).fill(0);
  y.forEach((c, i) => (goesLeft(i) ? left : right)[c]!++);
  const all = left.map((v, c) => v + right[c]!);
  const n = y.length;
  const nl = left.reduce((a, b) => a + b, 0);
  return gini(all) - (nl / n) * gini(left) - ((n - nl) / n) * gini(right);
}

describe('splits', () => {
  it('find the best numeric threshold and the best category subset (checked by brute force)', async () => {
    const rng = new Random(3);
    const n = 400;
    const arity = 7;
    const effect = [0.1, 0.9, 0.3, 0.8, 0.5, 0.2, 0.7];
    const features: FeatureSpec[] = [
      { name: 'x', kind: 'numeric' },
      { name: 'c', kind: 'categorical', arity },
    ];
    for (const useFeature of [0, 1]) {
      const X = new Float64Array(n * 2);
      const y = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        X[2 * i] = rng.nextInt(20);
        X[2 * i + 1] = rng.nextInt(arity);
        const p = useFeature === 0 ? X[2 * i]! / 25 + 0.1 : effect[X[2 * i + 1]!]!;
        y[i] = Number(rng.nextFloat() < p);
      }
      const set: SyntheticSet = { X, y, features, numClasses: 2 };
      const forest = await fitForest(set, stump);
      // The stump's two leaves have different probabilities: they tell which side each row went.
      const proba = forest.predictProba(X);
      const leftValue = proba[0]!;
      const achieved = gain(y, 2, (i) => proba[2 * i] === leftValue);
      let best = 0;
      for (let t = 0; t < 20; t++) best = Math.max(best, gain(y, 2, (i) => X[2 * i]! <= t));
      for (let mask = 1; mask < 2 ** arity - 1; mask++) best = Math.max(best, gain(y, 2, (i) => ((mask >> X[2 * i + 1]!) & 1) === 1));
      assert.ok(best > 0.01);
      assert.ok(Math.abs(achieved - best) < 1e-12, `gain ${achieved} should be the best possible ${best}`);
    }
  });

  it('send a category unseen in training (or outside 0..arity-1) to the heavier side', async () => {
    const features: FeatureSpec[] = [{ name: 'route', kind: 'categorical', arity: 10 }];
    for (const [heavyClass, lightClass] of [[0, 1], [1, 0]] as const) {
      // Categories 0 and 1 (80 rows) are one class, category 2 (20 rows) the other; 3..9 never occur.
      const cats = [...new Array<number>(40).fill(0), ...new Array<number>(40).fill(1), ...new Array<number>(20).fill(2)];
      const y = Uint8Array.from(cats, (c) => (c < 2 ? heavyClass : lightClass));
      const forest = await fitForest({ X: Float64Array.from(cats), y, features, numClasses: 2 }, stump);
      assert.equal(forest.predictOne([0]), heavyClass);
      assert.equal(forest.predictOne([2]), lightClass);
      for (const unseen of [5, 9, 10, 4000, 3.5, -1]) {
        assert.equal(forest.predictOne([unseen]), heavyClass, `category ${unseen}`);
        const p = forest.predictProbaOne([unseen]);
        assert.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-12);
      }
    }
  });

  it('rank informative features above noise in importances that sum to 1', async () => {
    const set = syntheticSet({ rows: 5000, numeric: 2, noise: 1, arities: [30], seed: 9 });
    const forest = await fitForest(set);
    const imp = forest.featureImportances();
    const byName = Object.fromEntries(set.features.map((f, j) => [f.name, imp[j]!]));
    assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(imp.every((v) => v >= 0));
    assert.ok(byName.num0! > byName.noise0!, JSON.stringify(byName));
    assert.ok(byName.cat0! > byName.noise0!, JSON.stringify(byName));
  });

  it('support entropy and without-replacement subsampling', async () => {
    const set = syntheticSet({ rows: 2000, arities: [10], seed: 2 });
    for (const options of [{ impurity: 'entropy' as const }, { bootstrap: false, subsamplingRate: 0.5 }]) {
      const forest = await fitForest(set, { numTrees: 5, ...options });
      const proba = forest.predictProba(set.X);
      for (let i = 0; i < 10; i++) assert.ok(Math.abs(proba.subarray(4 * i, 4 * i + 4).reduce((a, b) => a + b, 0) - 1) < 1e-9);
    }
  });
});
