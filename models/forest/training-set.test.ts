import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeatureSpec } from './feature-spec';
import { fitForest } from '../../test/support/forest-fit';
import { syntheticSet } from '../../test/support/forest-data';

const features: FeatureSpec[] = [
  { name: 'DepDelay', kind: 'numeric' },
  { name: 'Route', kind: 'categorical', arity: 3 },
];

/** Expects fit to reject with a RangeError whose message names every given fragment. */
async function rejects(X: number[], y: number[], names: string[], numClasses = 2, specs = features): Promise<void> {
  const set = { X: Float64Array.from(X), y: Uint8Array.from(y), features: specs, numClasses };
  await assert.rejects(fitForest(set), (e: unknown) => {
    assert.ok(e instanceof RangeError, String(e));
    for (const name of names) assert.ok(e.message.includes(name), `"${e.message}" should name ${name}`);
    return true;
  });
}

describe('training data checks', () => {
  it('reject NaN in a categorical feature, naming the row and feature', () => rejects([1, 0, 2, Number.NaN, 3, 2], [0, 1, 0], ['row 1', 'Route', 'NaN']));
  it('reject an infinite numeric value, naming the row and feature', () => rejects([1, 0, Infinity, 1, 3, 2], [0, 1, 0], ['row 1', 'DepDelay', 'not finite']));
  it('reject a category ≥ arity, naming the row and feature', () => rejects([1, 0, 2, 3, 3, 2], [0, 1, 0], ['row 1', 'Route', 'arity 3']));
  it('reject a non-integer category', () => rejects([1, 0.5, 2, 1, 3, 2], [0, 1, 0], ['row 0', 'Route']));
  it('reject a label outside 0..numClasses-1, naming the row', () => rejects([1, 0, 2, 1, 3, 2], [0, 1, 2], ['y[row 2]', 'label 2']));
  it('reject X whose length does not match y and the features', () => rejects([1, 0, 2, 1, 3], [0, 1, 0], ['X', '6 values']));
  it('reject an empty training set', () => rejects([], [], ['empty']));
  it('reject numClasses < 2', () => rejects([1, 0], [0], ['numClasses'], 1));
  it('reject a categorical feature without a valid arity', () =>
    rejects([1, 0], [0], ['features[1].arity', 'Route'], 2, [features[0]!, { name: 'Route', kind: 'categorical', arity: 0 }]));
  it('reject duplicate feature names', () => rejects([1, 0], [0], ['features[1].name', 'duplicate'], 2, [features[0]!, { name: 'DepDelay', kind: 'numeric' }]));

  it('accept a valid set, and reject X of the wrong length when scoring', async () => {
    const set = syntheticSet({ rows: 200, arities: [5] });
    const forest = await fitForest(set, { numTrees: 2 });
    assert.throws(() => forest.predictProba(new Float64Array(7), 2), /X: expected 2 rows/);
  });
});
