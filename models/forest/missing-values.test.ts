import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binTrainingSet, numericThresholds } from './binning';
import type { FeatureSpec } from './feature-spec';
import { fitForest } from '../../test/support/forest-fit';
import { syntheticSet } from '../../test/support/forest-data';

const features: FeatureSpec[] = [
  { name: 'x', kind: 'numeric' },
  { name: 'c', kind: 'categorical', arity: 3 },
];

describe('missing numeric values (NaN)', () => {
  const X = Float64Array.from([1, 0, Number.NaN, 1, 2, 2, 3, 0, Number.NaN, 1, 4, 2]);
  const y = Uint8Array.from([0, 1, 0, 1, 0, 1]);
  const thresholds = numericThresholds(X, 6, features, 32, 1);

  it('take no part in the quantile thresholds', () => {
    assert.deepEqual(Array.from(thresholds[0]!), [1.5, 2.5, 3.5]);
  });

  it('fall in the highest bin for the forest, in a bin of their own with missingBin', () => {
    const forest = binTrainingSet(X, y, features, thresholds, 2, false);
    assert.deepEqual(Array.from(forest.columns[0]!), [0, 3, 1, 2, 3, 3]);
    assert.equal(forest.numBins[0], 4);
    const boosted = binTrainingSet(X, y, features, thresholds, 2, false, true);
    assert.deepEqual(Array.from(boosted.columns[0]!), [0, 4, 1, 2, 4, 3]);
    assert.equal(boosted.numBins[0], 5);
    assert.equal(boosted.numBins[1], 3);
  });

  it('train and score a forest without an error; a missing value goes right, as the largest value does', async () => {
    const set = syntheticSet({ rows: 2000, numeric: 2, noise: 0, arities: [5], seed: 3 });
    const d = set.features.length;
    for (let i = 0; i < set.y.length; i += 7) set.X[i * d] = Number.NaN;
    const forest = await fitForest(set, { numTrees: 5, seed: 1 });
    const row = Array.from(set.X.subarray(0, d));
    row[0] = Number.NaN;
    const missing = forest.predictProbaOne(row);
    row[0] = Number.MAX_VALUE;
    assert.deepEqual(missing, forest.predictProbaOne(row));
    assert.ok(Math.abs(missing.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });
});
