import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { promotionEvidence, retrainingEvidence, type RetrainingPolicy, type Window } from './evidence';

const w = (FlightDate: string, ModelVersion: string, Role: 'champion' | 'challenger', Rows: number, Accuracy: number, extra: Partial<Window> = {}): Window => ({
  FlightDate, Source: 'realtime', ModelVersion, Role, Rows, Accuracy, HeldOutAccuracy: 0.52, FeatureDrift: [], ...extra,
});

describe('promotion on live evidence', () => {
  const policy = { minGain: 0.02, minOutcomes: 1000 };
  it('promotes a challenger better by the gain over enough outcomes, on the windows both were scored in', () => {
    const windows = [
      w('2013-11-01', '3', 'champion', 600, 0.45), w('2013-11-01', '4', 'challenger', 600, 0.5),
      w('2013-11-02', '3', 'champion', 600, 0.47), w('2013-11-02', '4', 'challenger', 600, 0.49),
      // A window of the champion alone (before the challenger was set) is not compared.
      w('2013-10-31', '3', 'champion', 600, 0.1),
    ];
    const e = promotionEvidence(windows, '3', '4', policy);
    assert.equal(e.windows, 2);
    assert.equal(e.challengerOutcomes, 1200);
    assert.ok(Math.abs(e.championAccuracy! - 0.46) < 1e-12);
    assert.ok(Math.abs(e.challengerAccuracy! - 0.495) < 1e-12);
    assert.equal(e.promote, true, e.reason);
  });
  it('compares only windows where the challenger scored (nearly) every flight the champion did', () => {
    // Set at noon: its window holds the afternoon only, the champion's the whole day.
    const e = promotionEvidence([w('d', '3', 'champion', 2000, 0.4), w('d', '4', 'challenger', 1000, 0.6)], '3', '4', policy);
    assert.equal(e.windows, 0);
    assert.equal(e.promote, false);
  });

  it('keeps the champion when the gain is short, or the outcomes too few', () => {
    assert.equal(promotionEvidence([w('d', '3', 'champion', 2000, 0.5), w('d', '4', 'challenger', 2000, 0.51)], '3', '4', policy).promote, false);
    const few = promotionEvidence([w('d', '3', 'champion', 999, 0.3), w('d', '4', 'challenger', 999, 0.9)], '3', '4', policy);
    assert.equal(few.promote, false);
    assert.match(few.reason, /999 outcomes/);
  });
});

describe('retraining on evidence', () => {
  const policy: RetrainingPolicy = {
    enabled: true, accuracyMargin: 0.08, driftPsi: 0.25, driftIgnore: ['DayOfYear'], windowDays: 3, minOutcomes: 500, minIntervalMinutes: 0, evalDays: 2, historyDays: 35,
  };
  it('finds no reason in windows as good as held out and without drift', () => {
    const e = retrainingEvidence([w('2013-11-01', '3', 'champion', 900, 0.5), w('2013-11-02', '3', 'champion', 900, 0.49)], '3', policy);
    assert.deepEqual(e.reasons, []);
    assert.deepEqual(e.dates, ['2013-11-01', '2013-11-02']);
  });
  it('pools the latest dates: live accuracy the margin below held out is a reason', () => {
    const windows = ['01', '02', '03', '04'].map((d, i) => w(`2013-11-${d}`, '3', 'champion', 300, i === 0 ? 0.9 : 0.4));
    const e = retrainingEvidence(windows, '3', policy);
    assert.deepEqual(e.dates, ['2013-11-02', '2013-11-03', '2013-11-04'], 'the latest three dates');
    assert.equal(e.outcomes, 900);
    assert.equal(e.reasons.length, 1);
    assert.match(e.reasons[0]!, /12\.0 points below the held-out 52\.0 %/);
  });
  it('a drifted feature of the latest date is a reason, unless ignored or the window too small', () => {
    const drift = [{ Feature: 'DepDelay', PSI: 0.4 }, { Feature: 'DayOfYear', PSI: 9 }];
    assert.deepEqual(retrainingEvidence([w('2013-11-05', '3', 'champion', 900, 0.5, { FeatureDrift: drift })], '3', policy).drifted.map((d) => d.feature), ['DepDelay']);
    assert.deepEqual(retrainingEvidence([w('2013-11-05', '3', 'champion', 100, 0.5, { FeatureDrift: drift })], '3', policy).reasons, []);
    // Another version's windows (a challenger, an old champion) say nothing about this champion.
    assert.deepEqual(retrainingEvidence([w('2013-11-05', '2', 'champion', 900, 0.1, { FeatureDrift: drift })], '3', policy).reasons, []);
  });
});
