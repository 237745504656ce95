import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gridSize, planTrials, trialInput } from './search-space';
import { resolveTuningInput } from './tuning';

describe('search space', () => {
  const space = { featureSet: ['seed', 'rich'], 'forest.numTrees': [10, 20, 20, 30] };

  it('walks the grid in order, a repeated value once, within the budget', () => {
    assert.equal(gridSize(space), 6);
    const trials = planTrials(space, 'grid', 4, 1);
    assert.deepEqual(trials.map((t) => t.values), [
      { featureSet: 'seed', 'forest.numTrees': 10 },
      { featureSet: 'seed', 'forest.numTrees': 20 },
      { featureSet: 'seed', 'forest.numTrees': 30 },
      { featureSet: 'rich', 'forest.numTrees': 10 },
    ]);
    assert.deepEqual(trials.map((t) => t.index), [0, 1, 2, 3]);
  });

  it('draws distinct points at random, the same for the same seed', () => {
    const big = { 'forest.numTrees': [1, 2, 3, 4, 5, 6, 7, 8], 'forest.maxDepth': [1, 2, 3, 4, 5] };
    const a = planTrials(big, 'random', 10, 3).map((t) => JSON.stringify(t.values));
    assert.equal(new Set(a).size, 10);
    assert.deepEqual(planTrials(big, 'random', 10, 3).map((t) => JSON.stringify(t.values)), a);
    assert.notDeepEqual(planTrials(big, 'random', 10, 4).map((t) => JSON.stringify(t.values)), a);
    assert.equal(planTrials(big, 'random', 100, 3).length, 40, 'the whole grid when it is within the budget');
  });

  it('sets a trial’s values at their paths over the base, the base untouched', () => {
    const base = { limit: 5000, forest: { maxDepth: 4 } };
    const input = trialInput(base, { index: 0, values: { 'forest.numTrees': 7, 'boosted.learningRate': 0.1 } });
    assert.deepEqual(input, { limit: 5000, forest: { maxDepth: 4, numTrees: 7 }, boosted: { learningRate: 0.1 } });
    assert.deepEqual(base, { limit: 5000, forest: { maxDepth: 4 } });
  });

  it('refuses what a space may not vary and bad settings, naming them', () => {
    assert.throws(() => resolveTuningInput({ space: { limit: [10, 20] } }), /space\.limit/);
    assert.throws(() => resolveTuningInput({ space: { 'forest.numTrees': [] } }), /space\.forest\.numTrees/);
    assert.throws(() => resolveTuningInput({ maxTrials: 0 }), /maxTrials/);
    assert.throws(() => resolveTuningInput({ parallelism: 99 }), /parallelism/);
    assert.throws(() => resolveTuningInput({ space: { featureSet: ['seed', 'fancy'] } }), /trial 1 .*featureSet/);
    assert.equal(resolveTuningInput({}).trials.length, 1, 'no space: one trial of the base');
  });
});
