import type { Random } from '../random';

export interface SampleParams {
  /** Poisson(subsamplingRate) weights when true (Spark's bootstrap); keep-with-probability otherwise. */
  bootstrap: boolean;
  subsamplingRate: number;
}

/**
 * Draws one tree's training rows: writes the in-bag rows to `rows` (in increasing order) and, beside
 * each, its tag `class << 8 | weight` to `tags`; returns how many. Weights are whole numbers, so
 * every histogram count is exact.
 */
export function sampleRows(rng: Random, y: Uint8Array, params: SampleParams, rows: Uint32Array, tags: Uint16Array): number {
  const n = y.length;
  const rate = params.subsamplingRate;
  let m = 0;
  if (params.bootstrap) {
    const cdf = poissonCdf(rate);
    const last = cdf.length - 1;
    for (let r = 0; r < n; r++) {
      // Inversion, as Random.nextPoisson, with the CDF computed once instead of per row.
      const u = rng.nextFloat();
      let w = 0;
      while (w < last && u >= cdf[w]!) w++;
      if (w > 0) {
        rows[m] = r;
        tags[m++] = (y[r]! << 8) | w;
      }
    }
  } else {
    for (let r = 0; r < n; r++) {
      if (rate >= 1 || rng.nextFloat() < rate) {
        rows[m] = r;
        tags[m++] = (y[r]! << 8) | 1;
      }
    }
  }
  if (m > 0) return m;
  // Only a tiny training set can leave a tree without rows; the whole set is the sensible stand-in.
  for (let r = 0; r < n; r++) {
    rows[r] = r;
    tags[r] = (y[r]! << 8) | 1;
  }
  return n;
}

/** P(W ≤ w) for w = 0, 1, … of Poisson(lambda), until it reaches 1 (at most 255 entries: weights are bytes). */
function poissonCdf(lambda: number): Float64Array {
  const cdf: number[] = [];
  let p = Math.exp(-lambda);
  let acc = p;
  for (let w = 0; w < 254 && acc < 1 && p > 0; w++) {
    cdf.push(acc);
    p *= lambda / (w + 1);
    acc += p;
  }
  cdf.push(1);
  return Float64Array.from(cdf);
}
