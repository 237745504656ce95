/**
 * The best split of one feature at one node of a boosted tree, from the node's histogram over the
 * feature's bins: per bin, the sums of gradients, hessians and rows (`hist[3b]`, `hist[3b+1]`,
 * `hist[3b+2]`). The gain of a split is XGBoost's: G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ).
 */
export interface SplitLimits {
  lambda: number;
  minChildWeight: number;
  minSamplesLeaf: number;
  /** Categorical splits (LightGBM's regularisation; see BoostedOptions). */
  catSmooth: number;
  catL2: number;
  maxCatThreshold: number;
  minDataPerGroup: number;
}

/** A node's totals: gradient, hessian and row count. */
export interface NodeSums {
  g: number;
  h: number;
  n: number;
}

export class GainSplit {
  /** Numeric: the last regular bin that goes left. */
  bin = -1;
  /** Numeric: whether missing values go left. */
  missingLeft = false;
  /** Categorical: the categories that go left are `cats[setStart .. setEnd)` after `categorical()`. */
  setStart = 0;
  setEnd = 0;
  private readonly keys: Float64Array;

  constructor(
    private readonly limits: SplitLimits,
    maxBins: number,
  ) {
    this.keys = new Float64Array(maxBins);
  }

  score(g: number, h: number): number {
    return (g * g) / (h + this.limits.lambda);
  }

  private allowed(hl: number, nl: number, hr: number, nr: number): boolean {
    const { minChildWeight, minSamplesLeaf } = this.limits;
    return nl >= minSamplesLeaf && nr >= minSamplesLeaf && hl >= minChildWeight && hr >= minChildWeight;
  }

  /**
   * Numeric feature at `hist[3·base …]` with `numBins` bins, the last of which holds the missing
   * values. Tries each threshold with missing values right, then left (when there are any); with no
   * missing value at the node they go to the side with more rows. Ties keep the first.
   */
  numeric(hist: Float64Array, base: number, numBins: number, node: NodeSums): number {
    const m = 3 * (base + numBins - 1);
    const gm = hist[m]!;
    const hm = hist[m + 1]!;
    const nm = hist[m + 2]!;
    const parent = this.score(node.g, node.h);
    let best = -Infinity;
    this.bin = -1;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    // The last regular bin is a threshold too when there are missing values: all values left, missing right.
    const lastThreshold = nm > 0 ? numBins - 2 : numBins - 3;
    for (let b = 0; b <= lastThreshold; b++) {
      const at = 3 * (base + b);
      const nb = hist[at + 2]!;
      if (nb === 0) continue;
      gl += hist[at]!;
      hl += hist[at + 1]!;
      nl += nb;
      // Missing right.
      let hr = node.h - hl;
      let nr = node.n - nl;
      if (this.allowed(hl, nl, hr, nr)) {
        const gain = this.score(gl, hl) + this.score(node.g - gl, hr) - parent;
        if (gain > best) {
          best = gain;
          this.bin = b;
          this.missingLeft = nm === 0 && nl > nr;
        }
      }
      if (nm === 0) continue;
      // Missing left.
      hr = node.h - hl - hm;
      nr = node.n - nl - nm;
      if (this.allowed(hl + hm, nl + nm, hr, nr)) {
        const gain = this.score(gl + gm, hl + hm) + this.score(node.g - gl - gm, hr) - parent;
        if (gain > best) {
          best = gain;
          this.bin = b;
          this.missingLeft = true;
        }
      }
    }
    return best;
  }

  /**
   * Categorical feature, as LightGBM splits one: the node's categories `cats[0..m)` with at least
   * catSmooth rows are ordered (in place, to the front of `cats`) by G/(H+catSmooth); the left side is
   * up to maxCatThreshold categories from either end of that order, and every other category (the rare,
   * the absent, the unknown) goes right. Child scores take λ + catL2, and each step of the scan must add
   * minDataPerGroup rows. Returns the best gain and sets setStart/setEnd.
   */
  categorical(hist: Float64Array, base: number, cats: Int32Array, m: number, node: NodeSums): number {
    const { keys } = this;
    const { catSmooth, catL2, maxCatThreshold, minDataPerGroup, minSamplesLeaf, minChildWeight, lambda } = this.limits;
    let kept = 0;
    for (let i = 0; i < m; i++) {
      const c = cats[i]!;
      const at = 3 * (base + c);
      if (hist[at + 2]! < catSmooth) continue;
      keys[c] = hist[at]! / (hist[at + 1]! + catSmooth);
      cats[kept++] = c;
    }
    this.setStart = this.setEnd = 0;
    if (kept < 2) return -Infinity;
    const ordered = cats.subarray(0, kept);
    ordered.sort((a, b) => keys[a]! - keys[b]! || a - b);
    const l2 = lambda + catL2;
    const childScore = (g: number, h: number): number => (g * g) / (h + l2);
    const parent = this.score(node.g, node.h);
    const maxSet = Math.min(maxCatThreshold, Math.floor((kept + 1) / 2));
    let best = -Infinity;
    for (const fromLow of [true, false]) {
      let gl = 0;
      let hl = 0;
      let nl = 0;
      let group = 0;
      for (let i = 0; i < maxSet && i < kept - 1; i++) {
        const at = 3 * (base + ordered[fromLow ? i : kept - 1 - i]!);
        gl += hist[at]!;
        hl += hist[at + 1]!;
        nl += hist[at + 2]!;
        group += hist[at + 2]!;
        if (nl < minSamplesLeaf || hl < minChildWeight) continue;
        const nr = node.n - nl;
        const hr = node.h - hl;
        if (nr < minSamplesLeaf || nr < minDataPerGroup || hr < minChildWeight) break;
        if (group < minDataPerGroup) continue;
        group = 0;
        const gain = childScore(gl, hl) + childScore(node.g - gl, hr) - parent;
        if (gain > best) {
          best = gain;
          this.setStart = fromLow ? 0 : kept - 1 - i;
          this.setEnd = fromLow ? i + 1 : kept;
        }
      }
    }
    return best;
  }
}
