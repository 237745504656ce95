import type { FlatForest } from './flat-forest';

/**
 * A FlatForest rearranged for batch scoring (built in memory, never saved). Every step down a tree
 * is branch-free: a numeric node compares x ≤ threshold and reads a two-bit block — all zero, or bit 1
 * set when missing values go left — at the row's missing code (1 for NaN, else 0); a categorical
 * node has a NaN threshold (never true) and reads its own bitset; a leaf points both children at
 * itself and so stays put. Each tree is then walked a fixed `depth` steps, which lets the scorer
 * walk four rows side by side: four independent chains of loads that the CPU overlaps, where one
 * walk at a time waits on each load in turn.
 */
export interface ScoringTables {
  feature: Int32Array;
  threshold: Float64Array;
  bitsetOffset: Int32Array;
  leafOffset: Int32Array;
  /** children[2i] is the left child of node i, children[2i + 1] the right one. */
  children: Int32Array;
  /** The forest's bitsets, an all-zero block as long as the longest bitset, then one word 0b10 (NaN goes left). */
  bitsets: Uint32Array;
  /** Per tree: the number of steps from the root to its deepest leaf. */
  depth: Int32Array;
  /** Per node: 1 for a leaf. A walk stops early once all four rows stand on leaves (unbalanced trees). */
  isLeaf: Uint8Array;
  /** Per tree: the one class its leaves add to (leafOffset then points at that value), or −1 for all k. */
  treeClass: Int32Array;
}

function scoringTables(forest: FlatForest, perClassTrees: boolean): ScoringTables {
  const { feature, threshold, offset, left, right, arity, roots } = forest;
  const nodes = feature.length;
  const zeroWords = Math.max(1, ...Array.from(arity, (a) => Math.ceil((a + 1) / 32)));
  const zeros = forest.bitsets.length;
  const nanLeft = zeros + zeroWords;
  const t: ScoringTables = {
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes).fill(Number.NaN),
    bitsetOffset: new Int32Array(nodes).fill(zeros),
    leafOffset: new Int32Array(nodes),
    children: new Int32Array(2 * nodes),
    bitsets: new Uint32Array(nanLeft + 1),
    depth: new Int32Array(roots.length),
    isLeaf: Uint8Array.from(feature, (f) => Number(f < 0)),
    treeClass: Int32Array.from(roots, (_, tree) => (perClassTrees ? tree % forest.numClasses : -1)),
  };
  const classOf = new Int32Array(nodes);
  for (let tree = 0; tree < roots.length; tree++) classOf.fill(Math.max(0, t.treeClass[tree]!), roots[tree], tree + 1 < roots.length ? roots[tree + 1]! : nodes);
  t.bitsets.set(forest.bitsets);
  t.bitsets[nanLeft] = 0b10;
  const depthOf = new Int32Array(nodes);
  for (let i = 0; i < nodes; i++) {
    const f = feature[i]!;
    if (f < 0) {
      t.children[2 * i] = i;
      t.children[2 * i + 1] = i;
      t.leafOffset[i] = offset[i]! + classOf[i]!;
      continue;
    }
    t.feature[i] = f;
    t.children[2 * i] = left[i]!;
    t.children[2 * i + 1] = right[i]!;
    if (arity[f]! > 0) t.bitsetOffset[i] = offset[i]!;
    else {
      t.threshold[i] = threshold[i]!;
      if (forest.missingLeft?.[i] === 1) t.bitsetOffset[i] = nanLeft;
    }
    // Children come after their parent, so a parent's depth is final when its children are reached.
    depthOf[left[i]!] = depthOf[i]! + 1;
    depthOf[right[i]!] = depthOf[i]! + 1;
  }
  for (let tree = 0; tree < roots.length; tree++) {
    const end = tree + 1 < roots.length ? roots[tree + 1]! : nodes;
    for (let i = roots[tree]!; i < end; i++) t.depth[tree] = Math.max(t.depth[tree]!, depthOf[i]!);
  }
  return t;
}

const lanes = 4;

/** Scores rows with one forest; holds its ScoringTables and scratch buffers (so scoring one row allocates little). */
export class ForestScorer {
  private readonly tables: ScoringTables;
  private readonly codes: Int32Array;
  private readonly padX: Float64Array;
  private readonly padOut: Float64Array;

  /**
   * `scale` multiplies the sum of the trees' leaf values: 1 / trees (the forest's average) by default.
   * With `perClassTrees` (boosted trees), tree t adds to class t mod k alone; its other leaf values are 0.
   */
  constructor(
    private readonly forest: FlatForest,
    private readonly scale = 1 / forest.roots.length,
    perClassTrees = false,
  ) {
    this.tables = scoringTables(forest, perClassTrees);
    this.codes = new Int32Array(lanes * forest.arity.length);
    this.padX = new Float64Array(lanes * forest.arity.length);
    this.padOut = new Float64Array(lanes * forest.numClasses);
  }

  /**
   * Adds each tree's leaf probabilities for rows 0..n-1 of the row-major X (n×d) into out (n×k) and
   * multiplies by `scale` (for a forest, Spark's averaged class probabilities). Unknown categories
   * (outside 0..arity-1, or not integers) follow the bitset's bit `arity`; NaN numeric values go right
   * unless the node's missingLeft says left.
   */
  predictProbaInto(X: Float64Array, n: number, out: Float64Array): void {
    const { forest, tables, codes, padX, padOut, scale } = this;
    const d = forest.arity.length;
    const k = forest.numClasses;
    out.fill(0, 0, n * k);
    for (let r = 0; r < n; r += lanes) {
      if (r + lanes <= n) {
        scoreLanes(forest, tables, X, r * d, codes, out, r * k, scale);
        continue;
      }
      // The last rows go through the same kernel, padded to a full set of lanes.
      padX.fill(0);
      padX.set(X.subarray(r * d, n * d));
      padOut.fill(0);
      scoreLanes(forest, tables, padX, 0, codes, padOut, 0, scale);
      out.set(padOut.subarray(0, (n - r) * k), r * k);
    }
  }
}

/** Scores the `lanes` rows starting at X[base] into out[o..]: the categories first, then every tree. */
function scoreLanes(
  forest: FlatForest,
  tables: ScoringTables,
  X: Float64Array,
  base: number,
  codes: Int32Array,
  out: Float64Array,
  o: number,
  scale: number,
): void {
  const { roots, leafValues, arity, numClasses: k } = forest;
  const { feature, threshold, bitsetOffset, leafOffset, children, bitsets, depth, isLeaf, treeClass } = tables;
  const d = arity.length;
  // A category's bit index: itself when it is an integer in 0..arity-1, else arity ("unknown");
  // a numeric value's: 1 when missing (NaN), else 0.
  for (let lane = 0, j = 0; lane < lanes; lane++) {
    for (let f = 0; f < d; f++, j++) {
      const a = arity[f]!;
      const x = X[base + j]!;
      if (a === 0) {
        codes[j] = Number(x !== x);
        continue;
      }
      const c = x | 0;
      codes[j] = c === x && c >= 0 && c < a ? c : a;
    }
  }
  const b0 = base;
  const b1 = b0 + d;
  const b2 = b1 + d;
  const b3 = b2 + d;
  for (let t = 0; t < roots.length; t++) {
    let n0 = roots[t]!;
    let n1 = n0;
    let n2 = n0;
    let n3 = n0;
    for (let step = depth[t]!; step > 0; step--) {
      const f0 = feature[n0]!;
      const f1 = feature[n1]!;
      const f2 = feature[n2]!;
      const f3 = feature[n3]!;
      const c0 = codes[f0]!;
      const c1 = codes[d + f1]!;
      const c2 = codes[2 * d + f2]!;
      const c3 = codes[3 * d + f3]!;
      const left0 = ((bitsets[bitsetOffset[n0]! + (c0 >>> 5)]! >>> (c0 & 31)) & 1) | Number(X[b0 + f0]! <= threshold[n0]!);
      const left1 = ((bitsets[bitsetOffset[n1]! + (c1 >>> 5)]! >>> (c1 & 31)) & 1) | Number(X[b1 + f1]! <= threshold[n1]!);
      const left2 = ((bitsets[bitsetOffset[n2]! + (c2 >>> 5)]! >>> (c2 & 31)) & 1) | Number(X[b2 + f2]! <= threshold[n2]!);
      const left3 = ((bitsets[bitsetOffset[n3]! + (c3 >>> 5)]! >>> (c3 & 31)) & 1) | Number(X[b3 + f3]! <= threshold[n3]!);
      n0 = children[2 * n0 + 1 - left0]!;
      n1 = children[2 * n1 + 1 - left1]!;
      n2 = children[2 * n2 + 1 - left2]!;
      n3 = children[2 * n3 + 1 - left3]!;
      if ((isLeaf[n0]! & isLeaf[n1]! & isLeaf[n2]! & isLeaf[n3]!) === 1) break;
    }
    const l0 = leafOffset[n0]!;
    const l1 = leafOffset[n1]!;
    const l2 = leafOffset[n2]!;
    const l3 = leafOffset[n3]!;
    const cls = treeClass[t]!;
    if (cls >= 0) {
      out[o + cls] = out[o + cls]! + leafValues[l0]!;
      out[o + k + cls] = out[o + k + cls]! + leafValues[l1]!;
      out[o + 2 * k + cls] = out[o + 2 * k + cls]! + leafValues[l2]!;
      out[o + 3 * k + cls] = out[o + 3 * k + cls]! + leafValues[l3]!;
      continue;
    }
    for (let c = 0; c < k; c++) {
      out[o + c] = out[o + c]! + leafValues[l0 + c]!;
      out[o + k + c] = out[o + k + c]! + leafValues[l1 + c]!;
      out[o + 2 * k + c] = out[o + 2 * k + c]! + leafValues[l2 + c]!;
      out[o + 3 * k + c] = out[o + 3 * k + c]! + leafValues[l3 + c]!;
    }
  }
  for (let i = o; i < o + lanes * k; i++) out[i] = out[i]! * scale;
}

/** The most probable class of each row (the lowest class id on ties). */
export function argmaxRows(proba: Float64Array, n: number, k: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let r = 0, o = 0; r < n; r++, o += k) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[o + c]! > proba[o + best]!) best = c;
    out[r] = best;
  }
  return out;
}
