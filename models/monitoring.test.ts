import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { populationStabilityIndex, WindowAccumulator, type OutcomeRow } from './monitoring';

/** A window's metrics, its rows added one at a time as the monitor adds them. */
const windowMetrics = (rows: readonly OutcomeRow[], labels: readonly string[]) => {
  const w = new WindowAccumulator(labels);
  for (const r of rows) w.add(r);
  return w.metrics();
};

const labels = ['a', 'b', 'c', 'd'];
const onehot = (c: number): number[] => labels.map((_, i) => (i === c ? 0.7 : 0.1));

describe('window metrics', () => {
  it('count a window of outcomes: accuracy, confusion and how predicted and actual classes were shared', () => {
    const rows = [
      { Predicted: 0, Actual: 0, Probabilities: onehot(0) },
      { Predicted: 0, Actual: 1, Probabilities: onehot(0) },
      { Predicted: 2, Actual: 2, Probabilities: onehot(2) },
      { Predicted: 3, Actual: 2, Probabilities: onehot(3) },
    ];
    const m = windowMetrics(rows, labels);
    assert.equal(m.rows, 4);
    assert.equal(m.accuracy, 0.5);
    assert.deepEqual(m.confusion, [
      [1, 0, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 1, 1],
      [0, 0, 0, 0],
    ]);
    assert.deepEqual(m.predictedShare, [0.5, 0, 0.25, 0.25]);
    assert.deepEqual(m.actualShare, [0.25, 0.25, 0.5, 0]);
    assert.ok(Math.abs(m.ece - 0.2) < 1e-12, `confidence 0.7 everywhere, right half the time: ECE ${m.ece}`);
  });
});

describe('population stability index', () => {
  it('is 0 for the same shares, small for noise, large for a shift, and known for a worked case', () => {
    assert.equal(populationStabilityIndex([10, 20, 30, 40], [1, 2, 3, 4]), 0);
    assert.ok(populationStabilityIndex([25, 25, 25, 25], [26, 24, 25, 25]) < 0.01);
    assert.ok(populationStabilityIndex([25, 25, 25, 25], [70, 10, 10, 10]) > 0.25);
    // (0.5 − 0.25)·ln 2 + (0.25 − 0.5)·ln 0.5 = 0.5·ln 2
    assert.ok(Math.abs(populationStabilityIndex([1, 2, 1], [2, 1, 1]) - 0.5 * Math.log(2)) < 1e-12);
  });

  it('counts an empty bin without dividing by zero', () => {
    assert.ok(Number.isFinite(populationStabilityIndex([0, 50, 50], [10, 45, 45])));
  });
});
