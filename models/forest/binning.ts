import { Random } from '../random';
import type { FeatureSpec } from './feature-spec';

/** Bins of one feature for every row: numeric quantile bins or category indices. */
export type BinColumn = Uint8Array | Uint16Array;

/** A training set binned once, column-major; what the tree growers read (shared with workers). */
export interface BinnedData {
  n: number;
  numClasses: number;
  columns: BinColumn[];
  /** Per feature: the number of bins (numeric) or the arity (categorical). */
  numBins: Int32Array;
  /** Per feature: 1 when categorical. */
  categorical: Uint8Array;
  /**
   * True when every numeric feature has a bin of its own for missing values (NaN): its last bin,
   * numBins − 1, after the thresholds' bins. False (the forest): NaN falls in the highest bin, that is,
   * it counts as larger than every value and goes right at every split, as the scorer sends it.
   */
  missingBin: boolean;
  y: Uint8Array;
}

/** Numeric bin boundaries are computed from at most this many rows (Spark samples too). */
export const maxSampleRows = 100_000;

/**
 * Split thresholds for each numeric feature (null for categorical ones): at most maxBins - 1
 * increasing values; a value x falls in bin b when thresholds[b-1] < x ≤ thresholds[b].
 */
export function numericThresholds(
  X: Float64Array,
  n: number,
  features: readonly FeatureSpec[],
  maxBins: number,
  seed: number,
): (Float64Array | null)[] {
  const d = features.length;
  const rows = n <= maxSampleRows ? null : sampleRows(n, maxSampleRows, new Random(seed));
  const m = rows ? rows.length : n;
  const values = new Float64Array(m);
  return features.map((f, j) => {
    if (f.kind === 'categorical') return null;
    // Missing values (NaN) take no part in the quantiles: they have a bin of their own or join the highest.
    let present = 0;
    for (let i = 0; i < m; i++) {
      const v = X[(rows ? rows[i]! : i) * d + j]!;
      if (v === v) values[present++] = v;
    }
    const sorted = values.subarray(0, present);
    sorted.sort();
    return thresholdsOf(sorted, maxBins);
  });
}

/** m distinct row indices out of n, in increasing order (Knuth's selection sampling). */
function sampleRows(n: number, m: number, rng: Random): Uint32Array {
  const out = new Uint32Array(m);
  let chosen = 0;
  for (let i = 0; i < n && chosen < m; i++) {
    if (rng.nextFloat() * (n - i) < m - chosen) out[chosen++] = i;
  }
  return out;
}

/** A threshold strictly between a < b such that a goes left and b right (x ≤ t goes left). */
function midpoint(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid >= a && mid < b ? mid : a;
}

/**
 * Spark's findSplitsForContinuousFeature on sorted sample values: every midpoint between distinct
 * values when they fit in maxBins, else a midpoint each time the running count passes the next
 * equal-frequency target.
 */
export function thresholdsOf(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const out: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) out.push(midpoint(distinct[i - 1]!, distinct[i]!));
  } else {
    const stride = sorted.length / maxBins;
    let target = stride;
    let current = counts[0]!;
    for (let i = 1; i < distinct.length && out.length < maxBins - 1; i++) {
      const previous = current;
      current += counts[i]!;
      if (Math.abs(previous - target) < Math.abs(current - target)) {
        out.push(midpoint(distinct[i - 1]!, distinct[i]!));
        target += stride;
      }
    }
  }
  return Float64Array.from(out);
}

/**
 * The bin of x: the first b with x ≤ thresholds[b], or thresholds.length — that is, how many
 * thresholds are below x. Branch-free binary search: data order gives the CPU nothing to predict.
 */
export function binOf(thresholds: Float64Array, x: number): number {
  let length = thresholds.length;
  if (length === 0) return 0;
  let base = 0;
  while (length > 1) {
    const half = length >>> 1;
    base += Number(thresholds[base + half - 1]! < x) * half;
    length -= half;
  }
  return base + Number(thresholds[base]! < x);
}

/**
 * Bins X once into one column per feature (bytes when the feature has ≤ 256 bins). With `shared`,
 * every array lives in a SharedArrayBuffer so worker threads read it without copies. A NaN numeric
 * value goes to the missing bin with `missingBin`, else to the highest bin (see BinnedData).
 */
export function binTrainingSet(
  X: Float64Array,
  y: Uint8Array,
  features: readonly FeatureSpec[],
  thresholds: readonly (Float64Array | null)[],
  numClasses: number,
  shared: boolean,
  missingBin = false,
): BinnedData {
  const n = y.length;
  const d = features.length;
  const alloc = (bytes: number): ArrayBufferLike => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const extra = missingBin ? 2 : 1;
  const numBins = Int32Array.from(features, (f, j) => (f.kind === 'categorical' ? f.arity : thresholds[j]!.length + extra));
  const columns = features.map((_, j): BinColumn => (numBins[j]! > 256 ? new Uint16Array(alloc(2 * n)) : new Uint8Array(alloc(n))));
  // Block by block, so that each block of the row-major X is read from cache once per feature.
  const block = 2048;
  for (let from = 0; from < n; from += block) {
    const to = Math.min(n, from + block);
    columns.forEach((col, j) => {
      const t = thresholds[j];
      const nanBin = numBins[j]! - 1;
      if (t) {
        for (let i = from, at = from * d + j; i < to; i++, at += d) {
          const v = X[at]!;
          col[i] = v === v ? binOf(t, v) : nanBin;
        }
      } else for (let i = from, at = from * d + j; i < to; i++, at += d) col[i] = X[at]!;
    });
  }
  const labels = new Uint8Array(alloc(n));
  labels.set(y);
  const categorical = Uint8Array.from(features, (f) => (f.kind === 'categorical' ? 1 : 0));
  return { n, numClasses, columns, numBins, categorical, missingBin, y: labels };
}
