/**
 * Oblivious trees as the scorer reads them: per tree, `depth` levels of (feature, threshold) on the
 * raw feature values and 2^depth leaves of k values. A row's leaf is the number whose bit l says
 * whether it went right at level l (x > threshold, or x missing: NaN goes right, as the missing bin
 * sorts last in training). A tree grown with fewer levels is padded: its extra levels' leaves repeat
 * the values of their sibling, so every tree is walked the same fixed number of levels.
 */
import { binOf } from '../forest/binning';
import type { ObliviousTree } from './oblivious-grower';
import { maxObliviousBins } from './options';
import { walkKernel, type Walk } from './kernel/walk-kernel';

export interface ObliviousEnsemble {
  numClasses: number;
  /** Levels of every tree. */
  depth: number;
  /** trees × depth: the feature each level compares. */
  feature: Int32Array;
  /** trees × depth: x ≤ threshold goes left (bit 0). */
  threshold: Float64Array;
  /** trees × 2^depth × k: tree t's leaf j, class c at (t·2^depth + j)·k + c. */
  leafValues: Float64Array;
}

export function numObliviousTrees(e: ObliviousEnsemble): number {
  return e.feature.length / e.depth;
}

/**
 * Builds the ensemble from grown trees. `thresholds[f]` are feature f's numeric bin boundaries (null
 * for a categorical feature, whose bin is its category index): bins ≤ b go left, that is x ≤
 * thresholds[f][b], or +∞ past the last one (all present values left, missing ones right).
 */
export function assembleOblivious(trees: readonly ObliviousTree[], thresholds: readonly (Float64Array | null)[], depth: number, k: number): ObliviousEnsemble {
  const leaves = 1 << depth;
  const feature = new Int32Array(trees.length * depth);
  const threshold = new Float64Array(trees.length * depth);
  const leafValues = new Float64Array(trees.length * leaves * k);
  trees.forEach((tree, t) => {
    const levels = tree.feature.length;
    for (let l = 0; l < depth; l++) {
      if (l >= levels) continue; // padded: feature 0, threshold 0; both sides hold the same values
      const f = tree.feature[l]!;
      const b = tree.bin[l]!;
      const bounds = thresholds[f];
      feature[t * depth + l] = f;
      threshold[t * depth + l] = bounds ? (b < bounds.length ? bounds[b]! : Infinity) : b;
    }
    const grown = 1 << levels;
    for (let j = 0; j < leaves; j++) {
      const from = (j & (grown - 1)) * k;
      leafValues.set(tree.leafValues.subarray(from, from + k), (t * leaves + j) * k);
    }
  });
  return { numClasses: k, depth, feature, threshold, leafValues };
}

/** Rows ranked, then walked through every tree, at a time (a multiple of 8: the kernel's lanes). */
const block = 256;

/**
 * Scores rows on an ensemble. Each feature the trees split on gets the sorted list of its distinct
 * thresholds; a block of rows is first turned into their ranks in those lists (how many thresholds
 * lie below the value; a missing value ranks past all of them), so that x > threshold becomes
 * rank > q, the threshold's own index, an integer comparison. The walk then runs in WebAssembly,
 * eight rows per SIMD comparison (kernel/oblivious-walk.wat); `walkInJs` is the same walk a row at a
 * time, where WebAssembly SIMD is missing, and what the tests hold the kernel to. Both add every
 * tree's leaf values in tree order, so their sums are identical.
 */
export class ObliviousScorer {
  private readonly used: Int32Array;
  private readonly bounds: Float64Array[];
  private readonly trees: number;
  private readonly walk: Walk | null;
  private readonly at: { levels: number; leaves: number; ranks: number; sums: number; scratch: number };
  /** Views of the memory: per tree and level, (column offset in bytes, threshold rank); the ranks; the sums. */
  private readonly levels: Int32Array;
  private readonly ranks: Int16Array;
  private readonly sums: Float64Array;
  private readonly leaves: Float64Array;

  constructor(
    private readonly e: ObliviousEnsemble,
    private readonly d: number,
    useKernel = true,
  ) {
    const used = [...new Set(e.feature)].sort((a, b) => a - b);
    this.used = Int32Array.from(used);
    this.bounds = used.map((f) => Float64Array.from(new Set(e.threshold.filter((_, j) => e.feature[j] === f))).sort());
    // Only a categorical feature of very high arity, split at over 32,000 places, can exceed this.
    const tooMany = this.bounds.findIndex((b) => b.length > maxObliviousBins + 1);
    if (tooMany >= 0) throw new RangeError(`ObliviousScorer: feature ${used[tooMany]} has more than ${maxObliviousBins} distinct thresholds`);
    const k = e.numClasses;
    this.trees = e.feature.length / e.depth;
    const align = (x: number): number => Math.ceil(x / 16) * 16;
    const levels = 0;
    const leaves = align(levels + e.feature.length * 8);
    const ranks = align(leaves + e.leafValues.length * 8);
    const sums = align(ranks + Math.max(1, used.length) * block * 2);
    const scratch = align(sums + block * k * 8);
    this.at = { levels, leaves, ranks, sums, scratch };
    const { buffer, walk } = walkKernel(scratch + 16, useKernel);
    this.walk = walk;
    this.levels = new Int32Array(buffer, levels, e.feature.length * 2);
    this.leaves = new Float64Array(buffer, leaves, e.leafValues.length);
    this.ranks = new Int16Array(buffer, ranks, Math.max(1, used.length) * block);
    this.sums = new Float64Array(buffer, sums, block * k);
    this.leaves.set(e.leafValues);
    const slot = new Map(used.map((f, u) => [f, u]));
    e.feature.forEach((f, j) => {
      const u = slot.get(f)!;
      this.levels[2 * j] = u * block * 2;
      this.levels[2 * j + 1] = this.bounds[u]!.indexOf(e.threshold[j]!);
    });
  }

  /** Adds the ensemble's leaf values to out (n×k, zeroed or holding a base) for n rows of the row-major X (n×d). */
  addScores(X: Float64Array, n: number, out: Float64Array): void {
    const k = this.e.numClasses;
    const { sums, at, walk, trees } = this;
    for (let from = 0; from < n; from += block) {
      const rows = Math.min(n, from + block) - from;
      const groups = Math.ceil(rows / 8);
      this.rankBlock(X, from, rows, groups * 8);
      sums.fill(0);
      if (walk) walk(trees, this.e.depth, k, at.levels, at.leaves, at.ranks, at.sums, groups, at.scratch);
      else this.walkInJs(rows);
      for (let i = 0, o = from * k; i < rows * k; i++, o++) out[o] = out[o]! + sums[i]!;
    }
  }

  /** The kernel's walk, one row at a time. */
  private walkInJs(rows: number): void {
    const { levels, ranks, sums, leaves, trees } = this;
    const { depth, numClasses: k } = this.e;
    for (let t = 0; t < trees; t++) {
      const base = (t << depth) * k;
      for (let i = 0; i < rows; i++) {
        let leaf = 0;
        for (let l = 0, j = 2 * t * depth; l < depth; l++, j += 2) leaf |= Number(ranks[levels[j]! / 2 + i]! > levels[j + 1]!) << l;
        for (let c = 0; c < k; c++) sums[i * k + c] = sums[i * k + c]! + leaves[base + leaf * k + c]!;
      }
    }
  }

  /** The ranks of the block's values of every used feature, column by column; rows up to `padded` rank 0. */
  private rankBlock(X: Float64Array, from: number, rows: number, padded: number): void {
    const { used, bounds, ranks, d } = this;
    for (let u = 0; u < used.length; u++) {
      const b = bounds[u]!;
      const missing = b.length + 1;
      const out = u * block;
      for (let i = 0, at = from * d + used[u]!; i < rows; i++, at += d) {
        const x = X[at]!;
        ranks[out + i] = x === x ? binOf(b, x) : missing;
      }
      ranks.fill(0, out + rows, out + padded);
    }
  }
}
