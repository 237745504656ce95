/**
 * What the monitor computes of a window of outcomes (predictions beside what happened): the held-out
 * metrics of models/metrics.ts, on live flights, and how the predicted and the actual classes were shared.
 */
import { MetricsAccumulator, type CalibrationBin } from './metrics';

export interface OutcomeRow {
  /** The predicted class: the most probable one, which is also how the metrics take it from Probabilities. */
  Predicted: number;
  /** The class of the actual arrival delay. */
  Actual: number;
  Probabilities: number[];
}

export interface WindowMetrics {
  rows: number;
  accuracy: number;
  weightedF1: number;
  logLoss: number;
  ece: number;
  calibration: CalibrationBin[];
  /** confusion[actual][predicted]. */
  confusion: number[][];
  /** Share of the window's predictions in each class. */
  predictedShare: number[];
  /** Share of the window's actual arrivals in each class. */
  actualShare: number[];
}

/** A window's metrics taken one outcome at a time (the monitor never holds a day of outcomes). */
export class WindowAccumulator {
  private readonly acc: MetricsAccumulator;

  constructor(readonly labels: readonly string[]) {
    this.acc = new MetricsAccumulator(labels.length);
  }

  add(row: OutcomeRow): void {
    this.acc.add(row.Actual, row.Probabilities);
  }

  get rows(): number {
    return this.acc.rows;
  }

  /** The metrics of the outcomes added (at least one). */
  metrics(): WindowMetrics {
    const e = this.acc.evaluation(this.labels, 0);
    const share = (count: (c: number) => number): number[] => this.labels.map((_, c) => count(c) / e.rows);
    return {
      rows: e.rows,
      accuracy: e.accuracy,
      weightedF1: e.weightedF1,
      logLoss: e.logLoss,
      ece: e.ece,
      calibration: e.calibration,
      confusion: e.confusion,
      predictedShare: share((c) => e.confusion.reduce((a, row) => a + row[c]!, 0)),
      actualShare: share((c) => e.confusion[c]!.reduce((a, b) => a + b, 0)),
    };
  }
}

/**
 * Population stability index of `observed` shares against `expected` shares of the same bins:
 * Σ (o − e) · ln(o / e), shares floored at `floor` so that an empty bin counts without dividing by zero.
 * Under 0.1: no shift worth a look; 0.1–0.25: a moderate shift; over 0.25: a large one.
 */
export function populationStabilityIndex(expected: readonly number[], observed: readonly number[], floor = 1e-4): number {
  if (expected.length !== observed.length) throw new RangeError(`populationStabilityIndex: ${expected.length} expected bins, ${observed.length} observed`);
  const norm = (xs: readonly number[]): number[] => {
    const total = xs.reduce((a, b) => a + b, 0);
    return xs.map((x) => Math.max(floor, total > 0 ? x / total : 0));
  };
  const e = norm(expected);
  const o = norm(observed);
  return e.reduce((sum, ei, i) => sum + (o[i]! - ei) * Math.log(o[i]! / ei), 0);
}
