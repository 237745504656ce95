/**
 * Grows one oblivious (symmetric) tree per boosting round, CatBoost's shape: every node of a level
 * splits on the same feature at the same bin, so a tree of depth D is D (feature, bin) pairs and 2^D
 * leaves, and a row's leaf is the D bits of its D comparisons — no branches to walk when scoring.
 * One tree serves all k classes: each leaf holds k values (a Newton step per class).
 *
 * A level's split is the (feature, bin) whose children score best summed over all the level's nodes,
 * the score of a side being Σ_c G_c² / (H_c + λ) (Newton's, as the leaf-wise trees'). Each level's
 * histograms are built, per parent, from the rows of its smaller child only; the other child is the
 * parent's histogram less that one (oblivious-levels.ts, on worker threads when there are several).
 * A categorical feature splits on its category index (bins ≤ s go left), in the order the feature
 * pipeline gives categories (most frequent first).
 */
import type { BinnedData } from '../forest/binning';
import { bestOf, dealFeatures, sideScore, type LevelJob, type LevelSplit, type ObliviousState } from './oblivious-levels';

export interface ObliviousParams {
  depth: number;
  lambda: number;
  learningRate: number;
  /** A level must improve the score by more than this, else the tree stops at the levels it has. */
  minSplitGain: number;
}

/** One grown tree: its levels' splits in bins, and its leaves' values, leaf-major (leaf·k + class). */
export interface ObliviousTree {
  /** Per level, the feature split on; as many as the tree has levels (≤ depth). */
  feature: Int32Array;
  /** Per level, the bin split at: bins ≤ it go left (bit 0), the others right (bit 1). */
  bin: Int32Array;
  /** 2^levels × k values. */
  leafValues: Float64Array;
  /** Per level, the score it gained (for the features' importances). */
  gain: Float64Array;
}

/** Runs a level's jobs: on worker threads (a pool) or here, one after the other. */
export type LevelRunner = (jobs: LevelJob[]) => Promise<LevelSplit[]>;

export class ObliviousGrower {
  private readonly counts: Uint32Array;

  /** `threads` jobs per level (each a share of the features), run by `run`. */
  constructor(
    private readonly data: BinnedData,
    private readonly state: ObliviousState,
    private readonly params: ObliviousParams,
    private readonly threads: number,
    private readonly run: LevelRunner,
  ) {
    this.counts = new Uint32Array(1 << params.depth);
  }

  /**
   * Grows a tree on the first m rows of the state's sample (their gradients and hessians per class)
   * over the given features, and adds its values to `margins` (row-major n×k) of those rows; the
   * other rows' leaves come from `leafOfRow`.
   */
  async grow(m: number, grad: readonly Float64Array[], hess: readonly Float64Array[], features: Int32Array, margins: Float64Array): Promise<ObliviousTree> {
    const { node, packed, sample, positions } = this.state;
    const { k } = this.state;
    const w = 2 * k;
    for (let i = 0; i < m; i++) {
      const r = sample[i]!;
      for (let c = 0; c < k; c++) {
        packed[i * w + c] = grad[c]![r]!;
        packed[i * w + k + c] = hess[c]![r]!;
      }
      node[i] = 0;
      positions[i] = i;
    }
    const shares = dealFeatures(features, this.threads);
    const levelFeature: number[] = [];
    const levelBin: number[] = [];
    const levelGain: number[] = [];
    let parentScore = 0;
    for (let level = 0; level < this.params.depth; level++) {
      const half = level === 0 ? 0 : 1 << (level - 1);
      const rightIsSmaller = level === 0 ? null : this.smallerChildren(m, half);
      const count = rightIsSmaller ? this.positionsOfSmaller(m, half, rightIsSmaller) : m;
      const best = bestOf(await this.run(shares.map((share) => ({ features: share, count, level, rightIsSmaller }))), features);
      Atomics.load(this.state.fence, 0);
      if (level === 0) parentScore = this.rootScore(features[0]!);
      if (best.feature < 0 || best.score - parentScore <= this.params.minSplitGain) break;
      levelFeature.push(best.feature);
      levelBin.push(best.bin);
      levelGain.push(best.score - parentScore);
      parentScore = best.score;
      this.assign(m, this.data.columns[best.feature]!, best.bin, level);
    }
    const leafValues = this.leafValues(m, grad, hess, levelFeature.length);
    for (let i = 0; i < m; i++) {
      const r = sample[i]!;
      const leaf = node[i]! * k;
      for (let c = 0; c < k; c++) margins[r * k + c] = margins[r * k + c]! + leafValues[leaf + c]!;
    }
    return { feature: Int32Array.from(levelFeature), bin: Int32Array.from(levelBin), leafValues, gain: Float64Array.from(levelGain) };
  }

  /** Per parent p of the new level (its children p and p + half): 1 when the child p + half has fewer rows. */
  private smallerChildren(m: number, half: number): Uint8Array {
    const { counts } = this;
    const { node } = this.state;
    counts.fill(0, 0, 2 * half);
    for (let i = 0; i < m; i++) counts[node[i]!]!++;
    return Uint8Array.from({ length: half }, (_, p) => Number(counts[p + half]! <= counts[p]!));
  }

  /** Writes the sample positions of the rows in their parent's smaller child to `positions`; returns how many. */
  private positionsOfSmaller(m: number, half: number, rightIsSmaller: Uint8Array): number {
    const { node, positions } = this.state;
    let count = 0;
    for (let i = 0; i < m; i++) {
      const nd = node[i]!;
      positions[count] = i;
      count += Number((nd >= half ? 1 : 0) === rightIsSmaller[nd & (half - 1)]!);
    }
    return count;
  }

  /** Sets bit `level` of each sampled row's node by the level's split. */
  private assign(m: number, col: BinnedData['columns'][number], bin: number, level: number): void {
    const { node, sample } = this.state;
    for (let i = 0; i < m; i++) if (col[sample[i]!]! > bin) node[i] = node[i]! | (1 << level);
  }

  /** The score of the root: its totals are those of any one feature's bins. */
  private rootScore(f: number): number {
    const { k, hist, binBase, lambda } = this.state;
    const w = 2 * k;
    const totals = new Float64Array(w);
    for (let at = binBase[f]!; at < binBase[f + 1]!; at += w) for (let c = 0; c < w; c++) totals[c] = totals[c]! + hist[at + c]!;
    return sideScore(totals, k, lambda);
  }

  /** Newton steps per leaf and class, −lr·G/(H + λ), from the sampled rows' gradients and hessians. */
  private leafValues(m: number, grad: readonly Float64Array[], hess: readonly Float64Array[], levels: number): Float64Array {
    const { k, node, sample } = this.state;
    const leaves = 1 << levels;
    const g = new Float64Array(leaves * k);
    const h = new Float64Array(leaves * k);
    for (let i = 0; i < m; i++) {
      const r = sample[i]!;
      const at = node[i]! * k;
      for (let c = 0; c < k; c++) {
        g[at + c] = g[at + c]! + grad[c]![r]!;
        h[at + c] = h[at + c]! + hess[c]![r]!;
      }
    }
    const { lambda, learningRate } = this.params;
    return g.map((gi, j) => (h[j]! + lambda > 0 ? (-learningRate * gi) / (h[j]! + lambda) : 0));
  }
}

/** The leaf of row r in a grown tree, from its bins. */
export function leafOfRow(tree: ObliviousTree, data: BinnedData, r: number): number {
  let leaf = 0;
  for (let l = 0; l < tree.feature.length; l++) if (data.columns[tree.feature[l]!]![r]! > tree.bin[l]!) leaf |= 1 << l;
  return leaf;
}
