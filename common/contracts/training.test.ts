import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTrainingInput, type TrainFlightDelayModelInput } from './training';

describe('the training input', () => {
  it('defaults to the forest, which reproduces the seed, with no boosted options', () => {
    const resolved = resolveTrainingInput({});
    assert.equal(resolved.estimator, 'forest');
    assert.deepEqual(resolved.forest, {});
    assert.deepEqual(resolved.boosted, {});
  });

  it('takes the boosted trees and their options', () => {
    const resolved = resolveTrainingInput({ estimator: 'boosted', boosted: { numRounds: 50, learningRate: 0.3 } });
    assert.equal(resolved.estimator, 'boosted');
    assert.deepEqual(resolved.boosted, { numRounds: 50, learningRate: 0.3 });
  });

  it('refuses an unknown estimator and a bad boosted option, naming the field', () => {
    assert.throws(() => resolveTrainingInput({ estimator: 'svm' } as unknown as TrainFlightDelayModelInput), /^RangeError: estimator must be "forest" or "boosted"/);
    assert.throws(() => resolveTrainingInput({ estimator: 'boosted', boosted: { learningRate: 0 } }), /^RangeError: boosted\.learningRate: expected a number in \(0, 1\]/);
    assert.throws(() => resolveTrainingInput({ boosted: { numTrees: 3 } as never }), /^RangeError: boosted\.numTrees: unknown option/);
  });
});
