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
 * Evaluates class probabilities `proba` (row-major n×k) against true classes `y`. The prediction is
 * the most probable class (the lowest id on ties, as argmax does).
 */
export function evaluate(y: ArrayLike<number>, proba: Float64Array, labels: readonly string[], baselineClass: number): Evaluation {
  const k = labels.length;
  const n = y.length;
  if (proba.length !== n * k) throw new RangeError(`evaluate: ${proba.length} probabilities for ${n} rows of ${k} classes`);
  if (n === 0) throw new RangeError('evaluate: the evaluated set is empty');
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    const actual = y[i]!;
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
    confusion[actual]![best]!++;
    logLoss -= Math.log(Math.min(1 - eps, Math.max(eps, proba[i * k + actual]!)));
  }
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
    logLoss: logLoss / n,
    perClass,
    confusion,
    baselineAccuracy: (confusion[baselineClass]?.reduce((a, b) => a + b, 0) ?? 0) / n,
    baselineClass,
    ...calibration(y, proba, k),
  };
}

/**
 * Top-label calibration: each row's confidence is its highest probability (its predicted class, the
 * lowest id on ties, as `evaluate` predicts), put in one of `bins` equal-width bins of [0, 1] (the last
 * bin holds 1). The expected calibration error is Σ_b (rows_b / n) · |accuracy_b − confidence_b|.
 */
export function calibration(y: ArrayLike<number>, proba: Float64Array, k: number, bins = calibrationBins): { ece: number; calibration: CalibrationBin[] } {
  const n = y.length;
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`calibration: bins must be a positive integer, got ${bins}`);
  if (proba.length !== n * k) throw new RangeError(`calibration: ${proba.length} probabilities for ${n} rows of ${k} classes`);
  const rows = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
    const p = proba[i * k + best]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    rows[b]!++;
    confidence[b]! += p;
    if (best === y[i]) correct[b]!++;
  }
  let ece = 0;
  const out = rows.map((count, b) => {
    const bin = { lower: b / bins, upper: (b + 1) / bins, rows: count, confidence: count ? confidence[b]! / count : 0, accuracy: count ? correct[b]! / count : 0 };
    if (n > 0) ece += (count / n) * Math.abs(bin.accuracy - bin.confidence);
    return bin;
  });
  return { ece, calibration: out };
}

/** The most frequent class of `y` (the lowest id on ties). */
export function majorityClass(y: ArrayLike<number>, numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  return counts.indexOf(Math.max(...counts));
}
