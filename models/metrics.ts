/** Classification metrics of a model on a held-out set, beside the majority-class baseline. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows of this class in the evaluated set. */
  support: number;
}

export interface Evaluation {
  rows: number;
  accuracy: number;
  weightedPrecision: number;
  weightedRecall: number;
  weightedF1: number;
  /** Mean negative log-likelihood of the true class (probabilities clipped at 1e-15). */
  logLoss: number;
  perClass: ClassMetrics[];
  /** confusion[actual][predicted] = rows. */
  confusion: number[][];
  /** Accuracy of always predicting the training set's most frequent class. */
  baselineAccuracy: number;
  baselineClass: number;
  /** Expected calibration error of the top label over `calibration`'s bins (0 = perfectly calibrated). */
  ece: number;
  /** The reliability diagram's bins: what the model's confidence said against how often it was right. */
  calibration: CalibrationBin[];
}

/** One bin of predicted-class confidence: the rows whose top probability fell in [lower, upper). */
export interface CalibrationBin {
  lower: number;
  upper: number;
  rows: number;
  /** Mean top probability of the bin's rows (0 for an empty bin). */
  confidence: number;
  /** Share of the bin's rows whose predicted class was right (0 for an empty bin). */
  accuracy: number;
}

/** Bins of the reliability diagram and of the ECE: ten equal widths of [0, 1]. */
export const calibrationBins = 10;

const eps = 1e-15;

/**
 * The counts every metric here is made of, taken one row at a time: the confusion matrix (the prediction
 * is the most probable class, the lowest id on ties, as argmax does), the summed log loss, and the rows,
 * confidence and correct predictions of each calibration bin. A held-out set is added row by row from
 * arrays (`evaluate`); the monitor adds a day of outcomes as it reads them, without holding them.
 */
export class MetricsAccumulator {
  readonly confusion: number[][];
  rows = 0;
  private logLoss = 0;
  private readonly binRows: number[];
  private readonly binConfidence: number[];
  private readonly binCorrect: number[];

  constructor(
    readonly k: number,
    readonly bins = calibrationBins,
  ) {
    if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`calibration: bins must be a positive integer, got ${bins}`);
    this.confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    this.binRows = new Array<number>(bins).fill(0);
    this.binConfidence = new Array<number>(bins).fill(0);
    this.binCorrect = new Array<number>(bins).fill(0);
  }

  /** One row: its true class and its k probabilities, read from `proba` at `offset`. */
  add(actual: number, proba: ArrayLike<number>, offset = 0): void {
    const { k } = this;
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[offset + c]! > proba[offset + best]!) best = c;
    this.confusion[actual]![best]!++;
    this.logLoss -= Math.log(Math.min(1 - eps, Math.max(eps, proba[offset + actual]!)));
    const p = proba[offset + best]!;
    const b = Math.min(this.bins - 1, Math.max(0, Math.floor(p * this.bins)));
    this.binRows[b]!++;
    this.binConfidence[b]! += p;
    if (best === actual) this.binCorrect[b]!++;
    this.rows++;
  }

  /**
   * Top-label calibration: each row's confidence is its highest probability, in one of `bins` equal-width
   * bins of [0, 1] (the last bin holds 1). The expected calibration error is Σ_b (rows_b / n) · |accuracy_b − confidence_b|.
   */
  calibration(): { ece: number; calibration: CalibrationBin[] } {
    const n = this.rows;
    let ece = 0;
    const out = this.binRows.map((count, b) => {
      const bin = { lower: b / this.bins, upper: (b + 1) / this.bins, rows: count, confidence: count ? this.binConfidence[b]! / count : 0, accuracy: count ? this.binCorrect[b]! / count : 0 };
      if (n > 0) ece += (count / n) * Math.abs(bin.accuracy - bin.confidence);
      return bin;
    });
    return { ece, calibration: out };
  }

  /** The metrics of the rows added (at least one), classes named by `labels`. */
  evaluation(labels: readonly string[], baselineClass: number): Evaluation {
    const n = this.rows;
    if (n === 0) throw new RangeError('evaluate: the evaluated set is empty');
    const { confusion } = this;
    const perClass = labels.map((label, c) => {
      const tp = confusion[c]![c]!;
      const support = confusion[c]!.reduce((a, b) => a + b, 0);
      const predicted = confusion.reduce((a, row) => a + row[c]!, 0);
      const precision = predicted === 0 ? 0 : tp / predicted;
      const recall = support === 0 ? 0 : tp / support;
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return { label, precision, recall, f1, support };
    });
    const weighted = (key: 'precision' | 'recall' | 'f1'): number => perClass.reduce((a, m) => a + m[key] * m.support, 0) / n;
    const correct = confusion.reduce((a, row, c) => a + row[c]!, 0);
    return {
      rows: n,
      accuracy: correct / n,
      weightedPrecision: weighted('precision'),
      weightedRecall: weighted('recall'),
      weightedF1: weighted('f1'),
      logLoss: this.logLoss / n,
      perClass,
      confusion,
      baselineAccuracy: (confusion[baselineClass]?.reduce((a, b) => a + b, 0) ?? 0) / n,
      baselineClass,
      ...this.calibration(),
    };
  }
}

/**
 * Evaluates class probabilities `proba` (row-major n×k) against true classes `y`. The prediction is
 * the most probable class (the lowest id on ties, as argmax does).
 */
export function evaluate(y: ArrayLike<number>, proba: Float64Array, labels: readonly string[], baselineClass: number): Evaluation {
  const k = labels.length;
  const n = y.length;
  if (proba.length !== n * k) throw new RangeError(`evaluate: ${proba.length} probabilities for ${n} rows of ${k} classes`);
  const acc = new MetricsAccumulator(k);
  for (let i = 0; i < n; i++) acc.add(y[i]!, proba, i * k);
  return acc.evaluation(labels, baselineClass);
}

/** Top-label calibration of probabilities `proba` (row-major n×k) against `y` (MetricsAccumulator.calibration). */
export function calibration(y: ArrayLike<number>, proba: Float64Array, k: number, bins = calibrationBins): { ece: number; calibration: CalibrationBin[] } {
  const n = y.length;
  const acc = new MetricsAccumulator(k, bins);
  if (proba.length !== n * k) throw new RangeError(`calibration: ${proba.length} probabilities for ${n} rows of ${k} classes`);
  for (let i = 0; i < n; i++) acc.add(y[i]!, proba, i * k);
  return acc.calibration();
}

/** The most frequent class of `y` (the lowest id on ties). */
export function majorityClass(y: ArrayLike<number>, numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  return counts.indexOf(Math.max(...counts));
}
