import { childrenImpurity } from './impurity';
import type { Impurity } from './options';

/**
 * The best split of one feature at one node, found from the node's class histogram over the
 * feature's bins (`hist[bin * k + class]`, bootstrap-weighted): one pass over the bins, never over
 * the rows. Scratch buffers are allocated once per tree grower.
 */
export class SplitSearch {
  /** Numeric: the last bin that goes left. */
  bin = -1;
  /** Categorical: how many of the ordered categories (see `categorical`) go left. */
  prefix = 0;
  private readonly left: Float64Array;
  private readonly keys: Float64Array;

  constructor(
    private readonly k: number,
    private readonly impurity: Impurity,
    private readonly minInstances: number,
    maxBins: number,
  ) {
    this.left = new Float64Array(k);
    this.keys = new Float64Array(maxBins);
  }

  /**
   * Scans the thresholds between bins left to right; returns the best gain (−Infinity if no split
   * leaves minInstances on both sides) and sets `bin`. Ties keep the first, as Spark's maxBy does.
   */
  numeric(hist: Uint32Array, numBins: number, parent: Float64Array, total: number, parentImpurity: number): number {
    const { k, left, minInstances } = this;
    left.fill(0);
    let leftWeight = 0;
    let best = -Infinity;
    this.bin = -1;
    for (let b = 0; b < numBins - 1; b++) {
      let binWeight = 0;
      for (let c = 0, at = b * k; c < k; c++, at++) {
        const v = hist[at]!;
        left[c] = left[c]! + v;
        binWeight += v;
      }
      // An empty bin moves no row: the split equals the previous threshold's, which was scored already.
      if (binWeight === 0) continue;
      leftWeight += binWeight;
      const rightWeight = total - leftWeight;
      if (rightWeight < minInstances) break;
      if (leftWeight < minInstances) continue;
      const gain = parentImpurity - childrenImpurity(this.impurity, left, parent, k, leftWeight, rightWeight);
      if (gain > best) {
        best = gain;
        this.bin = b;
      }
    }
    return best;
  }

  /**
   * Orders the node's categories `cats[0..m)` (in place) by their mean class index — for two classes
   * that is the share of class 1, which makes the best prefix the best of all subsets (Breiman); for
   * ordered classes such as delay buckets it keeps neighbouring buckets together — then scans the
   * m − 1 prefix splits. Returns the best gain and sets `prefix`.
   */
  categorical(hist: Uint32Array, cats: Int32Array, m: number, parent: Float64Array, total: number, parentImpurity: number): number {
    const { k, left, keys, minInstances } = this;
    for (let i = 0; i < m; i++) {
      const cat = cats[i]!;
      let w = 0;
      let s = 0;
      for (let c = 0, at = cat * k; c < k; c++, at++) {
        w += hist[at]!;
        s += c * hist[at]!;
      }
      keys[cat] = s / w;
    }
    const ordered = cats.subarray(0, m);
    ordered.sort((a, b) => keys[a]! - keys[b]! || a - b);
    left.fill(0);
    let leftWeight = 0;
    let best = -Infinity;
    this.prefix = 0;
    for (let i = 0; i < m - 1; i++) {
      for (let c = 0, at = ordered[i]! * k; c < k; c++, at++) {
        left[c] = left[c]! + hist[at]!;
        leftWeight += hist[at]!;
      }
      const rightWeight = total - leftWeight;
      if (rightWeight < minInstances) break;
      if (leftWeight < minInstances) continue;
      const gain = parentImpurity - childrenImpurity(this.impurity, left, parent, k, leftWeight, rightWeight);
      if (gain > best) {
        best = gain;
        this.prefix = i + 1;
      }
    }
    return best;
  }
}
