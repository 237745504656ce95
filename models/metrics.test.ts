import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, majorityClass } from './metrics';
import { trainTestSplit } from './split';

describe('evaluate', () => {
  it('computes accuracy, per-class and weighted metrics, confusion and log loss', () => {
    const y = [0, 0, 1, 1, 1, 2];
    // predictions: 0, 1, 1, 1, 0, 2
    const proba = new Float64Array([
      0.8, 0.1, 0.1,
      0.3, 0.6, 0.1,
      0.1, 0.8, 0.1,
      0.2, 0.7, 0.1,
      0.5, 0.4, 0.1,
      0.1, 0.1, 0.8,
    ]);
    const e = evaluate(y, proba, ['a', 'b', 'c'], 1);
    assert.equal(e.accuracy, 4 / 6);
    assert.deepEqual(e.confusion, [[1, 1, 0], [1, 2, 0], [0, 0, 1]]);
    assert.equal(e.perClass[1]!.precision, 2 / 3);
    assert.equal(e.perClass[1]!.recall, 2 / 3);
    assert.equal(e.perClass[0]!.support, 2);
    const expectedF1 = (2 * 0.5 + 3 * (2 / 3) + 1 * 1) / 6;
    assert.ok(Math.abs(e.weightedF1 - expectedF1) < 1e-12);
    const expectedLogLoss = -(Math.log(0.8) + Math.log(0.3) + Math.log(0.8) + Math.log(0.7) + Math.log(0.4) + Math.log(0.8)) / 6;
    assert.ok(Math.abs(e.logLoss - expectedLogLoss) < 1e-12);
    assert.equal(e.baselineAccuracy, 3 / 6);
  });

  it('refuses probabilities of the wrong shape', () => {
    assert.throws(() => evaluate([0, 1], new Float64Array(3), ['a', 'b'], 0), /3 probabilities for 2 rows of 2 classes/);
  });

  it('finds the majority class', () => {
    assert.equal(majorityClass([2, 1, 2, 0, 2, 1], 3), 2);
  });
});

describe('trainTestSplit', () => {
  it('holds out about the asked fraction, the same rows for the same seed, others for another', () => {
    const a = trainTestSplit(100_000, 0.2, 7);
    const b = trainTestSplit(100_000, 0.2, 7);
    const c = trainTestSplit(100_000, 0.2, 8);
    assert.ok(Math.abs(a.test.length / 100_000 - 0.2) < 0.01, `held out ${a.test.length}`);
    assert.equal(a.train.length + a.test.length, 100_000);
    assert.deepEqual(a.test, b.test);
    assert.notDeepEqual(a.test.slice(0, 100), c.test.slice(0, 100));
    const seen = new Set([...a.train, ...a.test]);
    assert.equal(seen.size, 100_000);
  });

  it('rejects a fraction outside (0, 1)', () => {
    assert.throws(() => trainTestSplit(10, 1), /testFraction/);
  });
});
