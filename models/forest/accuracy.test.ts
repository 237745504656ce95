import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomForestClassifier as MlRandomForest } from 'ml-random-forest';
import { accuracy, fitForest, majorityShare, toRows } from '../../test/support/forest-fit';
import { splitRows, syntheticSet, type SyntheticOptions } from '../../test/support/forest-data';

describe('forest accuracy', () => {
  it('beats the majority class clearly on a problem with numeric and high-arity categorical signal', async (t) => {
    const [train, test] = splitRows(syntheticSet({ rows: 25_000, numeric: 3, noise: 1, arities: [20, 300, 2000], seed: 21 }), 20_000);
    const forest = await fitForest(train);
    const acc = accuracy(forest.predict(test.X), test.y);
    const baseline = majorityShare(test.y, test.numClasses);
    t.diagnostic(`accuracy ${acc.toFixed(3)}, majority class ${baseline.toFixed(3)}`);
    assert.ok(acc > baseline + 0.1, `accuracy ${acc.toFixed(3)} vs majority ${baseline.toFixed(3)}`);
  });

  // ml-random-forest (ml-cart) with the same trees and depth, on held-out rows of small sets. Each
  // comparison averages three data sets: on 300 test rows one set's accuracy moves by a few points
  // with the seed alone, so the mean is the comparison that means something; no tolerance is added.
  const cases: [string, Omit<SyntheticOptions, 'seed'>][] = [
    ['numeric and categorical features (as the flight data)', { rows: 1000, numeric: 3, noise: 1, arities: [8, 40] }],
    ['numeric features only', { rows: 1000, numeric: 5, noise: 1, arities: [] }],
  ];
  for (const [name, options] of cases) {
    it(`is at least as accurate as ml-random-forest on ${name}`, async (t) => {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (const seed of [1, 2, 3]) {
        const [train, test] = splitRows(syntheticSet({ ...options, seed }), 700);
        const forest = await fitForest(train, { seed });
        ours.push(accuracy(forest.predict(test.X), test.y));
        const ml = new MlRandomForest({ nEstimators: 20, treeOptions: { maxDepth: 5 }, seed, noOOB: true });
        ml.train(toRows(train), Array.from(train.y));
        theirs.push(accuracy(ml.predict(toRows(test)), test.y));
      }
      const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
      const summary = `accuracy: ours ${ours.map((a) => a.toFixed(3)).join(', ')}; ml-random-forest ${theirs.map((a) => a.toFixed(3)).join(', ')}`;
      t.diagnostic(summary);
      assert.ok(mean(ours) >= mean(theirs), summary);
    });
  }
});
