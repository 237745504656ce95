/**
 * A level of an oblivious tree, as any thread grows it: the histograms of some of the features for
 * every node of the level, and the best split among those features. The state lives in buffers that
 * worker threads share (SharedArrayBuffers) when training runs on several; the features of a level are
 * dealt out among them, and each writes only its features' bins of each node's histogram, so the
 * result is the same for any number of threads.
 */
import type { BinnedData } from '../forest/binning';

/** What every thread of a training reads (and writes in its features' histograms). */
export interface ObliviousState {
  k: number;
  lambda: number;
  numBins: Int32Array;
  /** Per feature f, the offset of its first bin in a node's histogram, in values (2k per bin); f = d: the width. */
  binBase: Int32Array;
  /** The bins row-major (n × d): a row's bins side by side. */
  rowBins: Uint8Array | Uint16Array;
  /** Per sampled row (by its position in the sample): its node, and its k gradients then k hessians. */
  node: Uint32Array;
  packed: Float64Array;
  /** The sample's row indices (the round's). */
  sample: Uint32Array;
  /** The positions in the sample of the rows the level's histograms are built from. */
  positions: Uint32Array;
  /** One histogram per node slot: width values each. */
  hist: Float64Array;
  /** Set by a worker after its job wrote, read by the main thread before it reads: orders those writes. */
  fence: Int32Array;
}

/** One thread's share of a level. */
export interface LevelJob {
  /** The features this job builds and searches, in the order the tree drew them (ties go to the first). */
  features: Int32Array;
  /** How many of `positions` to read. */
  count: number;
  level: number;
  /**
   * Per parent p (level ≥ 1): 1 when its child p + half is the smaller one. The job's rows are those
   * of the smaller children, accumulated into slot p + half; the other child is the parent less it.
   */
  rightIsSmaller: Uint8Array | null;
}

export interface LevelSplit {
  feature: number;
  bin: number;
  /** Σ over the level's nodes of both children's scores; −∞ when no feature of the job can split. */
  score: number;
}

/** Builds the job's features' histograms of the level's nodes and returns their best split. */
export function growLevel(s: ObliviousState, job: LevelJob): LevelSplit {
  const half = job.level === 0 ? 0 : 1 << (job.level - 1);
  const width = s.binBase[s.binBase.length - 1]!;
  const { hist, binBase } = s;
  for (const f of job.features) {
    const from = binBase[f]!;
    const to = binBase[f + 1]!;
    if (job.level === 0) hist.fill(0, from, to);
    for (let p = half; p < 2 * half; p++) hist.fill(0, p * width + from, p * width + to);
  }
  accumulate(s, job, half, width);
  if (job.rightIsSmaller) {
    for (let p = 0; p < half; p++) {
      const a = p * width;
      const b = (p + half) * width;
      const rightIsSmaller = job.rightIsSmaller[p]!;
      for (const f of job.features) {
        for (let j = binBase[f]!; j < binBase[f + 1]!; j++) {
          if (rightIsSmaller) hist[a + j] = hist[a + j]! - hist[b + j]!;
          else {
            const left = hist[b + j]!;
            hist[b + j] = hist[a + j]! - left;
            hist[a + j] = left;
          }
        }
      }
    }
  }
  return bestSplit(s, job.features, 1 << job.level, width);
}

/**
 * Adds the gradients and hessians of the job's rows to their slots' histograms (slot = node | half),
 * row by row: a row's gradients are read once and its bins lie side by side.
 */
function accumulate(s: ObliviousState, job: LevelJob, slotBit: number, width: number): void {
  const { k, hist, node, packed, binBase, rowBins, sample, positions } = s;
  const { features, count } = job;
  const w = 2 * k;
  const d = binBase.length - 1;
  const bases = Int32Array.from(features, (f) => binBase[f]!);
  const nf = features.length;
  for (let p = 0; p < count; p++) {
    const i = positions[p]!;
    const row = sample[i]! * d;
    const at0 = (node[i]! | slotBit) * width;
    const src = i * w;
    if (k === 4) {
      const g0 = packed[src]!;
      const g1 = packed[src + 1]!;
      const g2 = packed[src + 2]!;
      const g3 = packed[src + 3]!;
      const h0 = packed[src + 4]!;
      const h1 = packed[src + 5]!;
      const h2 = packed[src + 6]!;
      const h3 = packed[src + 7]!;
      for (let j = 0; j < nf; j++) {
        const at = at0 + bases[j]! + (rowBins[row + features[j]!]! << 3);
        hist[at] = hist[at]! + g0;
        hist[at + 1] = hist[at + 1]! + g1;
        hist[at + 2] = hist[at + 2]! + g2;
        hist[at + 3] = hist[at + 3]! + g3;
        hist[at + 4] = hist[at + 4]! + h0;
        hist[at + 5] = hist[at + 5]! + h1;
        hist[at + 6] = hist[at + 6]! + h2;
        hist[at + 7] = hist[at + 7]! + h3;
      }
      continue;
    }
    for (let j = 0; j < nf; j++) {
      const at = at0 + bases[j]! + rowBins[row + features[j]!]! * w;
      for (let c = 0; c < w; c++) hist[at + c] = hist[at + c]! + packed[src + c]!;
    }
  }
}

/** The (feature, bin) of the job's features whose two sides score best summed over the level's nodes. */
function bestSplit(s: ObliviousState, features: Int32Array, nodes: number, width: number): LevelSplit {
  const { k, hist, binBase, numBins, lambda } = s;
  const w = 2 * k;
  const left = new Float64Array(w);
  const total = new Float64Array(w);
  const right = new Float64Array(w);
  const scores = new Float64Array(Math.max(1, ...Array.from(features, (f) => numBins[f]!)));
  let best: LevelSplit = { feature: -1, bin: -1, score: -Infinity };
  for (const f of features) {
    const bins = numBins[f]!;
    if (bins < 2) continue;
    scores.fill(0, 0, bins - 1);
    for (let nd = 0; nd < nodes; nd++) {
      const base = nd * width + binBase[f]!;
      total.fill(0);
      for (let b = 0; b < bins; b++) for (let c = 0; c < w; c++) total[c] = total[c]! + hist[base + b * w + c]!;
      left.fill(0);
      for (let b = 0; b < bins - 1; b++) {
        for (let c = 0; c < w; c++) {
          left[c] = left[c]! + hist[base + b * w + c]!;
          right[c] = total[c]! - left[c]!;
        }
        scores[b] = scores[b]! + sideScore(left, k, lambda) + sideScore(right, k, lambda);
      }
    }
    for (let b = 0; b < bins - 1; b++) if (scores[b]! > best.score) best = { feature: f, bin: b, score: scores[b]! };
  }
  return best;
}

/** Σ_c G_c² / (H_c + λ) of one side (gradients at 0..k−1, hessians at k..2k−1); nothing where H + λ is 0. */
export function sideScore(sums: Float64Array, k: number, lambda: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) {
    const h = sums[k + c]! + lambda;
    if (h > 0) s += (sums[c]! * sums[c]!) / h;
  }
  return s;
}

/** The histograms' memory is refused beyond this (2^(depth − 1) nodes × all features' bins × 2k values). */
const maxHistogramBytes = 4 * 2 ** 30;

/** The state's buffers for a training set, over SharedArrayBuffers when threads will share them. */
export function obliviousState(data: BinnedData, sample: Uint32Array, depth: number, lambda: number, shared: boolean): ObliviousState {
  const { numBins, n, numClasses: k } = data;
  const d = numBins.length;
  const alloc = (bytes: number): ArrayBufferLike => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const binBase = new Int32Array(d + 1);
  for (let f = 0; f < d; f++) binBase[f + 1] = binBase[f]! + numBins[f]! * 2 * k;
  const histBytes = 8 * Math.max(1, 2 ** (depth - 1)) * binBase[d]!;
  if (histBytes > maxHistogramBytes) {
    throw new RangeError(
      `options.maxDepth: oblivious trees of depth ${depth} over these features' ${binBase[d]! / (2 * k)} bins need ${(histBytes / 2 ** 30).toFixed(1)} GB of histograms (at most ${maxHistogramBytes / 2 ** 30} GB); lower maxDepth or maxBins`,
    );
  }
  const wide = numBins.some((b) => b > 256);
  const rowBins = wide ? new Uint16Array(alloc(2 * n * d)) : new Uint8Array(alloc(n * d));
  data.columns.forEach((col, f) => {
    for (let r = 0, at = f; r < n; r++, at += d) rowBins[at] = col[r]!;
  });
  return {
    k,
    lambda,
    numBins,
    binBase,
    rowBins,
    node: new Uint32Array(alloc(4 * n)),
    packed: new Float64Array(alloc(8 * n * 2 * k)),
    sample,
    positions: new Uint32Array(alloc(4 * n)),
    hist: new Float64Array(alloc(histBytes)),
    fence: new Int32Array(alloc(4)),
  };
}

/** Deals the tree's features out to `jobs` jobs, round robin, each in the tree's order. */
export function dealFeatures(features: Int32Array, jobs: number): Int32Array[] {
  return Array.from({ length: Math.min(jobs, features.length) }, (_, j) => features.filter((_, i) => i % jobs === j));
}

/** The best of the jobs' splits: the highest score, on a tie the feature drawn first (what one job would pick). */
export function bestOf(splits: readonly LevelSplit[], features: Int32Array): LevelSplit {
  const order = (f: number): number => features.indexOf(f);
  return splits.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.feature >= 0 && order(b.feature) < order(a.feature)) ? b : a));
}
