import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibration, evaluate, majorityClass } from './metrics';
import { dateRange, defaultCutDate, isIsoDate, timeSplit, trainTestSplit } from './split';

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

  it('computes the top-label expected calibration error and its bins by hand', () => {
    // Top probabilities (predicted class): 0.9 (0, right), 0.85 (1, wrong), 0.6 (1, right), 0.55 (2, wrong), 0.45 (0, right).
    const y = [0, 0, 1, 1, 0];
    const proba = new Float64Array([
      0.9, 0.05, 0.05,
      0.1, 0.85, 0.05,
      0.2, 0.6, 0.2,
      0.25, 0.2, 0.55,
      0.45, 0.3, 0.25,
    ]);
    const { ece, calibration: bins } = calibration(y, proba, 3, 5);
    // Bins of width 0.2: [0.4, 0.6) holds 0.55 (wrong) and 0.45 (right); [0.6, 0.8) holds 0.6 (right); [0.8, 1] holds 0.9 (right), 0.85 (wrong).
    assert.deepEqual(bins.map((b) => b.rows), [0, 0, 2, 1, 2]);
    assert.ok(Math.abs(bins[2]!.confidence - 0.5) < 1e-12);
    assert.equal(bins[2]!.accuracy, 0.5);
    assert.ok(Math.abs(bins[4]!.confidence - 0.875) < 1e-12);
    assert.equal(bins[4]!.accuracy, 0.5);
    const expected = (2 / 5) * Math.abs(0.5 - 0.5) + (1 / 5) * Math.abs(1 - 0.6) + (2 / 5) * Math.abs(0.5 - 0.875);
    assert.ok(Math.abs(ece - expected) < 1e-12, `ece ${ece}, expected ${expected}`);
    assert.equal(bins[4]!.upper, 1);
    // evaluate carries the same, over ten bins.
    const e = evaluate(y, proba, ['a', 'b', 'c'], 0);
    assert.equal(e.calibration.length, 10);
    assert.ok(Math.abs(e.ece - calibration(y, proba, 3, 10).ece) < 1e-15);
  });

  it('a confident model that is always right is perfectly calibrated; a 1.0 falls in the last bin', () => {
    const { ece, calibration: bins } = calibration([0, 1], new Float64Array([1, 0, 0, 1]), 2);
    assert.equal(ece, 0);
    assert.equal(bins[9]!.rows, 2);
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

describe('timeSplit', () => {
  const dates = ['2013-10-31', '2013-11-01', '2013-01-05', '2013-12-31', '2013-10-01'];

  it('trains on the flights before the cut date and holds out those on and after it', () => {
    const s = timeSplit(dates, '2013-11-01');
    assert.deepEqual([...s.train], [0, 2, 4]);
    assert.deepEqual([...s.test], [1, 3]);
  });

  it('refuses a cut date that leaves a side empty, or is not a date', () => {
    assert.throws(() => timeSplit(dates, '2013-01-01'), /no flight before the cut date 2013-01-01 \(the data runs from 2013-01-05 to 2013-12-31\)/);
    assert.throws(() => timeSplit(dates, '2014-01-01'), /no flight on or after/);
    assert.throws(() => timeSplit(dates, '2013-02-30'), /cutDate must be a date/);
    assert.throws(() => timeSplit(dates, '2013-1-1'), /cutDate must be a date/);
  });

  it('by default holds out the last two calendar months', () => {
    assert.equal(defaultCutDate(dates), '2013-11-01');
    assert.equal(defaultCutDate(['2016-01-20', '2015-06-01']), '2015-12-01');
    assert.equal(defaultCutDate(['2016-03-02'], 3), '2016-01-01');
    assert.deepEqual(dateRange(dates), ['2013-01-05', '2013-12-31']);
  });

  it('knows a date', () => {
    assert.ok(isIsoDate('2024-02-29'));
    assert.ok(!isIsoDate('2023-02-29'));
    assert.ok(!isIsoDate(20240101));
  });
});
