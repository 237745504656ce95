import { Random } from '../random';
import type { BinnedData } from './binning';
import { impurityOf } from './impurity';
import type { Impurity } from './options';
import { sampleRows } from './row-sample';
import { SplitSearch } from './split-search';
import { TreeBuilder, type GrownTree } from './tree-builder';

// Longer than 250 lines on purpose: growing one tree is the engine's hot loop, and its steps (histograms,
// category sets, row partitioning) work in place on the scratch buffers this class owns; the split search,
// which needs none of them, is in split-search.ts.

/** The per-tree settings, resolved from the forest options and the data. */
export interface GrowParams {
  maxDepth: number;
  minInstancesPerNode: number;
  minInfoGain: number;
  featuresPerNode: number;
  subsamplingRate: number;
  bootstrap: boolean;
  impurity: Impurity;
}

/** Gains below this are rounding noise, not information. */
const minGain = 1e-12;

interface PendingNode {
  start: number;
  end: number;
  depth: number;
  counts: Float64Array;
  parent: number;
  isLeft: boolean;
}

/**
 * Grows decision trees on binned data, depth first. The node's in-bag rows are a contiguous range of
 * `rows`, partitioned in place (stably, so rows stay in increasing order and column reads stay
 * nearly sequential); beside each row, `tags` holds its class and bootstrap weight, so a histogram
 * pass gathers from one column only. A node costs one histogram pass over its rows per candidate
 * feature, so a level costs O(rows × candidate features). Scratch buffers are allocated once and
 * reused for every tree.
 */
export class TreeGrower {
  private readonly rows: Uint32Array;
  /** Per entry of `rows`: class << 8 | bootstrap weight. */
  private readonly tags: Uint16Array;
  private readonly spare: Uint32Array;
  private readonly spareTags: Uint16Array;
  private readonly hist: Uint32Array;
  private readonly perm: Int32Array;
  private readonly cats: Int32Array;
  private readonly mark: Uint8Array;
  private readonly bits: Uint32Array;
  private readonly search: SplitSearch;
  private readonly k: number;
  /** The split bestSplit last chose: its gain and, when numeric, the last bin that goes left. */
  private bestGain = 0;
  private bestBin = -1;

  constructor(
    private readonly data: BinnedData,
    private readonly params: GrowParams,
  ) {
    const { n, numClasses: k, numBins } = data;
    const maxBins = Math.max(...numBins);
    this.k = k;
    this.rows = new Uint32Array(n);
    this.tags = new Uint16Array(n);
    this.spare = new Uint32Array(n);
    this.spareTags = new Uint16Array(n);
    this.hist = new Uint32Array(maxBins * k);
    this.perm = Int32Array.from(numBins, (_, j) => j);
    this.cats = new Int32Array(maxBins);
    this.mark = new Uint8Array(maxBins);
    this.bits = new Uint32Array(Math.ceil((maxBins + 1) / 32));
    this.search = new SplitSearch(k, params.impurity, params.minInstancesPerNode, maxBins);
  }

  grow(seed: number): GrownTree {
    const rng = new Random(seed);
    const { k, tags, perm } = this;
    // Each tree starts from the same state, so a tree depends on its seed alone, not on which trees this grower grew before.
    for (let j = 0; j < perm.length; j++) perm[j] = j;
    const inBag = sampleRows(rng, this.data.y, this.params, this.rows, tags);
    const tree = new TreeBuilder(k, this.data.numBins.length);
    const rootCounts = new Float64Array(k);
    for (let i = 0; i < inBag; i++) {
      const c = tags[i]! >>> 8;
      rootCounts[c] = rootCounts[c]! + (tags[i]! & 255);
    }
    const stack: PendingNode[] = [{ start: 0, end: inBag, depth: 0, counts: rootCounts, parent: -1, isLeft: false }];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const id = tree.addNode(node.parent, node.isLeft);
      let total = 0;
      for (let c = 0; c < k; c++) total += node.counts[c]!;
      const feature = this.canSplit(node, total) ? this.bestSplit(node, total, rng) : -1;
      if (feature < 0) {
        tree.setLeaf(id, node.counts, total);
        continue;
      }
      const leftCounts = new Float64Array(k);
      const rightCounts = new Float64Array(k);
      const mid = this.partition(node, feature, leftCounts, rightCounts);
      if (this.data.categorical[feature]) tree.setCategoricalSplit(id, feature, this.bits, this.data.numBins[feature]!);
      else tree.setNumericSplit(id, feature, this.bestBin);
      tree.addImportance(feature, this.bestGain * total);
      const depth = node.depth + 1;
      stack.push({ start: mid, end: node.end, depth, counts: rightCounts, parent: id, isLeft: false });
      stack.push({ start: node.start, end: mid, depth, counts: leftCounts, parent: id, isLeft: true });
    }
    return tree.build();
  }

  private canSplit(node: PendingNode, total: number): boolean {
    if (node.depth >= this.params.maxDepth || total < 2 * this.params.minInstancesPerNode) return false;
    let classes = 0;
    for (let c = 0; c < this.k; c++) if (node.counts[c]! > 0) classes++;
    return classes > 1;
  }

  /**
   * Tries featuresPerNode features drawn for this node and keeps the best; returns the feature, or −1
   * when no split gains enough. Sets bestGain; for a categorical winner `bits` holds the left set, for
   * a numeric one bestBin is the threshold bin.
   */
  private bestSplit(node: PendingNode, total: number, rng: Random): number {
    const { perm, hist, search, k } = this;
    const { numBins, categorical } = this.data;
    const d = perm.length;
    const parentImpurity = impurityOf(this.params.impurity, node.counts, 0, k, total);
    let bestFeature = -1;
    let bestGain = -Infinity;
    let bestBin = -1;
    for (let i = 0; i < this.params.featuresPerNode; i++) {
      const j = i + rng.nextInt(d - i);
      const f = perm[j]!;
      perm[j] = perm[i]!;
      perm[i] = f;
      const nb = numBins[f]!;
      if (nb < 2) continue;
      this.fillHistogram(node, f);
      if (categorical[f]) {
        const m = this.seenCategories(node, f, nb);
        const gain = search.categorical(hist, this.cats, m, node.counts, total, parentImpurity);
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          this.encodeLeftSet(m, nb, total);
        }
      } else {
        const gain = search.numeric(hist, nb, node.counts, total, parentImpurity);
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestBin = search.bin;
        }
      }
      this.clearHistogram(node, f, nb);
    }
    this.bestGain = bestGain;
    this.bestBin = bestBin;
    return bestGain > minGain && bestGain >= this.params.minInfoGain ? bestFeature : -1;
  }

  private fillHistogram(node: PendingNode, f: number): void {
    const { rows, tags, hist, k } = this;
    const col = this.data.columns[f]!;
    for (let i = node.start; i < node.end; i++) {
      const tag = tags[i]!;
      const at = col[rows[i]!]! * k + (tag >>> 8);
      hist[at] = hist[at]! + (tag & 255);
    }
  }

  /** Zeroes what fillHistogram touched: by row when the node has fewer rows than bins, else by bin. */
  private clearHistogram(node: PendingNode, f: number, nb: number): void {
    const { rows, tags, hist, k } = this;
    if (node.end - node.start >= nb) {
      hist.fill(0, 0, nb * k);
      return;
    }
    const col = this.data.columns[f]!;
    for (let i = node.start; i < node.end; i++) hist[col[rows[i]!]! * k + (tags[i]! >>> 8)] = 0;
  }

  /** Writes the categories present at the node into `cats`; returns how many. */
  private seenCategories(node: PendingNode, f: number, arity: number): number {
    const { cats, hist, k } = this;
    let m = 0;
    if (node.end - node.start >= arity) {
      for (let c = 0; c < arity; c++) {
        let w = 0;
        for (let j = c * k; j < c * k + k; j++) w += hist[j]!;
        if (w > 0) cats[m++] = c;
      }
      return m;
    }
    const { rows, mark } = this;
    const col = this.data.columns[f]!;
    for (let i = node.start; i < node.end; i++) {
      const c = col[rows[i]!]!;
      if (mark[c] === 0) {
        mark[c] = 1;
        cats[m++] = c;
      }
    }
    for (let i = 0; i < m; i++) mark[cats[i]!] = 0;
    return m;
  }

  /**
   * The left set of the best categorical split as a bitset over arity + 1 bits. Categories absent at
   * this node, and bit `arity` (any unknown value at scoring time), go with the heavier side.
   */
  private encodeLeftSet(m: number, arity: number, total: number): void {
    const { cats, bits, hist, k } = this;
    const prefix = this.search.prefix;
    let leftWeight = 0;
    for (let i = 0; i < prefix; i++) for (let c = 0; c < k; c++) leftWeight += hist[cats[i]! * k + c]!;
    const words = Math.ceil((arity + 1) / 32);
    bits.fill(leftWeight >= total - leftWeight ? 0xffffffff : 0, 0, words);
    for (let i = 0; i < m; i++) {
      const c = cats[i]!;
      const w = c >>> 5;
      bits[w] = i < prefix ? bits[w]! | (1 << (c & 31)) : bits[w]! & ~(1 << (c & 31));
    }
  }

  /**
   * Stable partition of the node's rows; fills the children's class counts; returns the split point.
   * Branch-free (each row is written to both sides and only one cursor advances): which side a row
   * takes is a coin flip to the CPU's branch predictor.
   */
  private partition(node: PendingNode, f: number, leftCounts: Float64Array, rightCounts: Float64Array): number {
    const { rows, tags, spare, spareTags, bits, k } = this;
    const col = this.data.columns[f]!;
    const bin = this.bestBin;
    const categorical = this.data.categorical[f] === 1;
    const counts = new Uint32Array(2 * k);
    let write = node.start;
    let spared = 0;
    for (let i = node.start; i < node.end; i++) {
      const r = rows[i]!;
      const tag = tags[i]!;
      const b = col[r]!;
      const goesLeft = categorical ? (bits[b >>> 5]! >>> (b & 31)) & 1 : 1 - ((bin - b) >>> 31);
      rows[write] = r;
      tags[write] = tag;
      spare[spared] = r;
      spareTags[spared] = tag;
      write += goesLeft;
      spared += 1 - goesLeft;
      const at = (1 - goesLeft) * k + (tag >>> 8);
      counts[at] = counts[at]! + (tag & 255);
    }
    rows.set(spare.subarray(0, spared), write);
    tags.set(spareTags.subarray(0, spared), write);
    leftCounts.set(counts.subarray(0, k));
    rightCounts.set(counts.subarray(k));
    return write;
  }
}
