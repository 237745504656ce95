import type { BinnedData } from '../forest/binning';
import { TreeBuilder, type GrownTree } from '../forest/tree-builder';
import { GainSplit, type NodeSums, type SplitLimits } from './gain-split';

/** The per-tree settings of a boosted tree. */
export interface GradientTreeParams extends SplitLimits {
  maxDepth: number;
  /** Leaves at most: the open leaf whose split gains most is split first. */
  maxLeaves: number;
  minSplitGain: number;
  learningRate: number;
}

interface PendingNode {
  start: number;
  end: number;
  depth: number;
  sums: NodeSums;
  /** Histogram of the node's rows over every feature's bins (3 numbers per bin), from the pool. */
  hist: Float64Array;
  parent: number;
  isLeft: boolean;
  /** The node's best split, found when the node is made; null: it stays a leaf. */
  split: NodeSplit | null;
}

/** The best split of a node: its feature and gain, and the threshold bin and missing side (numeric) or left set (categorical). */
interface NodeSplit {
  f: number;
  gain: number;
  bin: number;
  missingLeft: boolean;
  bits: Uint32Array | null;
}

/**
 * Grows one regression tree on the gradients and hessians of one class, best first (the open leaf
 * whose split gains most, within maxDepth and up to maxLeaves leaves), on the binned data the forest
 * uses (with a missing bin per numeric feature). A node's rows are a range of `rows`,
 * partitioned in place with their gradients beside them; each node's histogram covers every allowed
 * feature and is built in one pass per feature, and only for the smaller child of a split: the larger
 * one's is the parent's minus it. Histograms come from a pool, so growing allocates little.
 */
export class GradientTreeGrower {
  private readonly rows: Uint32Array;
  private readonly g: Float64Array;
  private readonly h: Float64Array;
  private readonly spare: Uint32Array;
  private readonly spareG: Float64Array;
  private readonly spareH: Float64Array;
  /** Per feature: where its bins start in a histogram (in bins). */
  private readonly binBase: Int32Array;
  private readonly totalBins: number;
  private readonly pool: Float64Array[] = [];
  private readonly search: GainSplit;
  private readonly cats: Int32Array;
  private readonly leaf: Float64Array;
  private allowed: Int32Array = new Int32Array(0);
  /** The last tree's leaves: per leaf, its range of `rows` (start, end) and its value. */
  private readonly leafStart: number[] = [];
  private readonly leafEnd: number[] = [];
  private readonly leafValue: number[] = [];
  private bestBin = -1;
  private bestMissingLeft = false;

  constructor(
    private readonly data: BinnedData,
    private readonly params: GradientTreeParams,
  ) {
    const { n, numBins } = data;
    this.rows = new Uint32Array(n);
    this.g = new Float64Array(n);
    this.h = new Float64Array(n);
    this.spare = new Uint32Array(n);
    this.spareG = new Float64Array(n);
    this.spareH = new Float64Array(n);
    this.binBase = new Int32Array(numBins.length);
    let total = 0;
    numBins.forEach((nb, f) => {
      this.binBase[f] = total;
      total += nb;
    });
    this.totalBins = total;
    const maxBins = Math.max(...numBins);
    this.search = new GainSplit(params, maxBins);
    this.cats = new Int32Array(maxBins);
    this.leaf = new Float64Array(data.numClasses);
  }

  /**
   * Grows the tree of class `cls` on rows `sample[0..m)` (increasing) with per-row gradients `grad`
   * and hessians `hess` (indexed by row), splitting only on the features in `features`. Its leaves
   * hold −G/(H+λ) × learning rate at the class's index, 0 elsewhere.
   */
  grow(sample: Uint32Array, m: number, grad: Float64Array, hess: Float64Array, cls: number, features: Int32Array): GrownTree {
    const { rows, g, h } = this;
    this.allowed = features;
    this.leafStart.length = 0;
    this.leafEnd.length = 0;
    this.leafValue.length = 0;
    const sums: NodeSums = { g: 0, h: 0, n: m };
    for (let i = 0; i < m; i++) {
      const r = sample[i]!;
      rows[i] = r;
      g[i] = grad[r]!;
      h[i] = hess[r]!;
      sums.g += g[i]!;
      sums.h += h[i]!;
    }
    const tree = new TreeBuilder(this.data.numClasses, this.data.numBins.length);
    const rootHist = this.take();
    this.fillHistogram(rootHist, 0, m);
    // Open leaves that can split; a node that cannot is made a leaf at once. Each holds its histogram.
    const open: PendingNode[] = [];
    let leaves = 1;
    const place = (node: PendingNode): void => {
      if (node.split) open.push(node);
      else this.makeLeaf(tree, node, cls);
    };
    place(this.pending(0, m, 0, sums, rootHist, -1, false));
    while (open.length > 0 && leaves < this.params.maxLeaves) {
      let best = 0;
      for (let i = 1; i < open.length; i++) if (open[i]!.split!.gain > open[best]!.split!.gain) best = i;
      const node = open.splice(best, 1)[0]!;
      const split = node.split!;
      const id = tree.addNode(node.parent, node.isLeft);
      const categorical = this.data.categorical[split.f] === 1;
      const mid = this.partition(node, split, categorical);
      if (categorical) tree.setCategoricalSplit(id, split.f, split.bits!, this.data.numBins[split.f]!);
      else tree.setNumericSplit(id, split.f, split.bin, split.missingLeft);
      tree.addImportance(split.f, split.gain);
      const left = this.sumsOf(node.start, mid);
      const right: NodeSums = { g: node.sums.g - left.g, h: node.sums.h - left.h, n: node.sums.n - left.n };
      // The smaller child's histogram from its rows, the larger's by subtraction, in the parent's buffer.
      const small = this.take();
      const leftIsSmall = mid - node.start <= node.end - mid;
      if (leftIsSmall) this.fillHistogram(small, node.start, mid);
      else this.fillHistogram(small, mid, node.end);
      const large = node.hist;
      for (const j of this.allowed) {
        for (let at = 3 * this.binBase[j]!, end = at + 3 * this.data.numBins[j]!; at < end; at++) large[at] = large[at]! - small[at]!;
      }
      const depth = node.depth + 1;
      place(this.pending(node.start, mid, depth, left, leftIsSmall ? small : large, id, true));
      place(this.pending(mid, node.end, depth, right, leftIsSmall ? large : small, id, false));
      leaves++;
    }
    for (const node of open) this.makeLeaf(tree, node, cls);
    return tree.build();
  }

  /** A node about to be placed, with its best split (none past maxDepth). */
  private pending(start: number, end: number, depth: number, sums: NodeSums, hist: Float64Array, parent: number, isLeft: boolean): PendingNode {
    const node: PendingNode = { start, end, depth, sums, hist, parent, isLeft, split: null };
    if (depth < this.params.maxDepth) node.split = this.bestSplit(node);
    return node;
  }

  private makeLeaf(tree: TreeBuilder, node: PendingNode, cls: number): void {
    this.setLeaf(tree, tree.addNode(node.parent, node.isLeft), node, cls);
    this.pool.push(node.hist);
  }

  private take(): Float64Array {
    const hist = this.pool.pop() ?? new Float64Array(3 * this.totalBins);
    hist.fill(0);
    return hist;
  }

  private sumsOf(start: number, end: number): NodeSums {
    let g = 0;
    let h = 0;
    for (let i = start; i < end; i++) {
      g += this.g[i]!;
      h += this.h[i]!;
    }
    return { g, h, n: end - start };
  }

  private setLeaf(tree: TreeBuilder, id: number, node: PendingNode, cls: number): void {
    const value = (-node.sums.g / (node.sums.h + this.params.lambda)) * this.params.learningRate;
    this.leaf.fill(0);
    this.leaf[cls] = value;
    tree.setLeafValues(id, this.leaf);
    this.leafStart.push(node.start);
    this.leafEnd.push(node.end);
    this.leafValue.push(value);
  }

  /**
   * Adds the last grown tree's leaf values to `margins[r·k + cls]` of the rows it was grown on, which
   * its leaves hold already (the other rows must walk the tree).
   */
  addToGrownRows(margins: Float64Array, k: number, cls: number): void {
    const { rows, leafStart, leafEnd, leafValue } = this;
    for (let l = 0; l < leafValue.length; l++) {
      const v = leafValue[l]!;
      for (let i = leafStart[l]!, end = leafEnd[l]!; i < end; i++) {
        const at = rows[i]! * k + cls;
        margins[at] = margins[at]! + v;
      }
    }
  }

  private fillHistogram(hist: Float64Array, start: number, end: number): void {
    const { rows, g, h } = this;
    for (const f of this.allowed) {
      const col = this.data.columns[f]!;
      const base = 3 * this.binBase[f]!;
      for (let i = start; i < end; i++) {
        const at = base + 3 * col[rows[i]!]!;
        hist[at] = hist[at]! + g[i]!;
        hist[at + 1] = hist[at + 1]! + h[i]!;
        hist[at + 2] = hist[at + 2]! + 1;
      }
    }
  }

  /** The best split over the allowed features, or null when none gains more than minSplitGain. */
  private bestSplit(node: PendingNode): NodeSplit | null {
    const { search, cats } = this;
    const { numBins, categorical } = this.data;
    if (node.sums.n < 2 * this.params.minSamplesLeaf) return null;
    let bestFeature = -1;
    let bestGain = -Infinity;
    let bestBits: Uint32Array | null = null;
    for (const f of this.allowed) {
      const nb = numBins[f]!;
      const base = this.binBase[f]!;
      if (categorical[f]) {
        let m = 0;
        for (let c = 0; c < nb; c++) if (node.hist[3 * (base + c) + 2]! > 0) cats[m++] = c;
        if (m < 2) continue;
        const gain = search.categorical(node.hist, base, cats, m, node.sums);
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestBits = this.encodeLeftSet(nb);
        }
      } else {
        if (nb < 2) continue;
        const gain = search.numeric(node.hist, base, nb, node.sums);
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestBits = null;
          this.bestBin = search.bin;
          this.bestMissingLeft = search.missingLeft;
        }
      }
    }
    // XGBoost's gain is half the score difference, less gamma.
    const gain = bestGain / 2;
    if (!(bestFeature >= 0 && gain > this.params.minSplitGain && gain > 1e-12)) return null;
    return { f: bestFeature, gain, bin: this.bestBin, missingLeft: this.bestMissingLeft, bits: bestBits };
  }

  /** The left set of the best categorical split, as a bitset over the feature's categories (and one more for unknown ones). */
  private encodeLeftSet(arity: number): Uint32Array {
    const { cats, search } = this;
    const bits = new Uint32Array(Math.ceil((arity + 1) / 32));
    for (let i = search.setStart; i < search.setEnd; i++) {
      const c = cats[i]!;
      bits[c >>> 5] = bits[c >>> 5]! | (1 << (c & 31));
    }
    return bits;
  }

  /** Stable partition of the node's rows (and their gradients) by the chosen split; returns the split point. */
  private partition(node: PendingNode, split: NodeSplit, categorical: boolean): number {
    const { rows, g, h, spare, spareG, spareH } = this;
    const { f, bin } = split;
    const bits = split.bits ?? new Uint32Array(0);
    const col = this.data.columns[f]!;
    const missing = this.data.numBins[f]! - 1;
    const missingLeft = split.missingLeft ? 1 : 0;
    let write = node.start;
    let spared = 0;
    for (let i = node.start; i < node.end; i++) {
      const r = rows[i]!;
      const b = col[r]!;
      const goesLeft = categorical ? (bits[b >>> 5]! >>> (b & 31)) & 1 : b === missing ? missingLeft : Number(b <= bin);
      const gi = g[i]!;
      const hi = h[i]!;
      rows[write] = r;
      g[write] = gi;
      h[write] = hi;
      spare[spared] = r;
      spareG[spared] = gi;
      spareH[spared] = hi;
      write += goesLeft;
      spared += 1 - goesLeft;
    }
    rows.set(spare.subarray(0, spared), write);
    g.set(spareG.subarray(0, spared), write);
    h.set(spareH.subarray(0, spared), write);
    return write;
  }
}
