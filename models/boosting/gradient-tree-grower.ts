import type { BinnedData } from '../forest/binning';
import { TreeBuilder, type GrownTree } from '../forest/tree-builder';
import { GainSplit, type NodeSums, type SplitLimits } from './gain-split';

/** The per-tree settings of a boosted tree. */
export interface GradientTreeParams extends SplitLimits {
  maxDepth: number;
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
}

/**
 * Grows one regression tree on the gradients and hessians of one class, depth first, on the binned
 * data the forest uses (with a missing bin per numeric feature). A node's rows are a range of `rows`,
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
  private readonly bits: Uint32Array;
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
    this.bits = new Uint32Array(Math.ceil((maxBins + 1) / 32));
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
    const stack: PendingNode[] = [{ start: 0, end: m, depth: 0, sums, hist: rootHist, parent: -1, isLeft: false }];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const id = tree.addNode(node.parent, node.isLeft);
      const feature = node.depth < this.params.maxDepth ? this.bestSplit(node) : null;
      if (feature === null) {
        this.setLeaf(tree, id, node, cls);
        this.pool.push(node.hist);
        continue;
      }
      const { f, gain } = feature;
      const categorical = this.data.categorical[f] === 1;
      const mid = this.partition(node, f, categorical);
      if (categorical) tree.setCategoricalSplit(id, f, this.bits, this.data.numBins[f]!);
      else tree.setNumericSplit(id, f, this.bestBin, this.bestMissingLeft);
      tree.addImportance(f, gain);
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
      stack.push({ start: mid, end: node.end, depth, sums: right, hist: leftIsSmall ? large : small, parent: id, isLeft: false });
      stack.push({ start: node.start, end: mid, depth, sums: left, hist: leftIsSmall ? small : large, parent: id, isLeft: true });
    }
    return tree.build();
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
  private bestSplit(node: PendingNode): { f: number; gain: number } | null {
    const { search, cats } = this;
    const { numBins, categorical } = this.data;
    if (node.sums.n < 2 * this.params.minSamplesLeaf) return null;
    let bestFeature = -1;
    let bestGain = -Infinity;
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
          this.encodeLeftSet(node, base, m, nb);
        }
      } else {
        if (nb < 2) continue;
        const gain = search.numeric(node.hist, base, nb, node.sums);
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          this.bestBin = search.bin;
          this.bestMissingLeft = search.missingLeft;
        }
      }
    }
    // XGBoost's gain is half the score difference, less gamma.
    const gain = bestGain / 2;
    return bestFeature >= 0 && gain > this.params.minSplitGain && gain > 1e-12 ? { f: bestFeature, gain } : null;
  }

  /** The left set of the best categorical split; categories absent at the node (and unknown ones) go with the side of more rows. */
  private encodeLeftSet(node: PendingNode, base: number, m: number, arity: number): void {
    const { cats, bits } = this;
    const prefix = this.search.prefix;
    let leftRows = 0;
    for (let i = 0; i < prefix; i++) leftRows += node.hist[3 * (base + cats[i]!) + 2]!;
    const words = Math.ceil((arity + 1) / 32);
    bits.fill(leftRows >= node.sums.n - leftRows ? 0xffffffff : 0, 0, words);
    for (let i = 0; i < m; i++) {
      const c = cats[i]!;
      const w = c >>> 5;
      bits[w] = i < prefix ? bits[w]! | (1 << (c & 31)) : bits[w]! & ~(1 << (c & 31));
    }
  }

  /** Stable partition of the node's rows (and their gradients) by the chosen split; returns the split point. */
  private partition(node: PendingNode, f: number, categorical: boolean): number {
    const { rows, g, h, spare, spareG, spareH, bits } = this;
    const col = this.data.columns[f]!;
    const bin = this.bestBin;
    const missing = this.data.numBins[f]! - 1;
    const missingLeft = this.bestMissingLeft ? 1 : 0;
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
