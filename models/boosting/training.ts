import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { deriveSeed, Random } from '../random';
import { binTrainingSet, numericThresholds } from '../forest/binning';
import { aritiesOf, type FeatureSpec } from '../forest/feature-spec';
import { assembleForest, type FlatForest } from '../forest/flat-forest';
import type { FitHooks } from '../forest/training';
import type { GrownTree } from '../forest/tree-builder';
import { ThreadPool } from '../thread-pool';
import { growClassTree, roundBuffers, type ClassTreeInit, type ClassTreeJob } from './class-trees';
import { GradientTreeGrower } from './gradient-tree-grower';
import { assembleOblivious, type ObliviousEnsemble } from './oblivious-ensemble';
import { leafOfRow, ObliviousGrower, type ObliviousTree } from './oblivious-grower';
import { growLevel, obliviousState, type LevelJob, type LevelSplit } from './oblivious-levels';
import type { BoostedOptions, BoostedTrainingOptions } from './options';
import { softmaxInPlace } from './softmax';

const workerFile = join(__dirname, `class-tree-worker${extname(__filename)}`);
const levelWorkerFile = join(__dirname, `oblivious-level-worker${extname(__filename)}`);

/** What boosting produces: everything the classifier scores with and saves. */
export interface TrainedBoosting {
  features: FeatureSpec[];
  numClasses: number;
  options: BoostedTrainingOptions;
  /** Rounds kept (the best round on the validation rows, or every round without them). */
  rounds: number;
  /** The initial margin of each class: the log of its share of the training labels. */
  baseScore: Float64Array;
  /** Leaf-wise trees: tree r·k + c is round r's tree of class c; its leaves add to class c's margin. */
  forest?: FlatForest;
  /** Oblivious trees (treeShape "oblivious"): tree r is round r's, its leaves add to every class. */
  oblivious?: ObliviousEnsemble;
  importances: Float64Array;
  /** Validation log loss after each round grown (empty without validation rows). */
  validationLoss: number[];
}

/** Independent random streams of one seed. */
const streams = { binning: 1, validation: 2, rows: 3, features: 4 } as const;

/** Hessians are kept above this, as XGBoost does, so a leaf value stays finite. */
const minHessian = 1e-16;

/** Trains gradient-boosted trees (softmax loss) on a validated training set (see validateTrainingSet). */
export async function trainBoosting(
  X: Float64Array,
  y: Uint8Array,
  features: readonly FeatureSpec[],
  k: number,
  options: BoostedOptions,
  hooks: FitHooks = {},
): Promise<TrainedBoosting> {
  const n = y.length;
  const d = features.length;
  const { seed, numRounds, threads, ...trainingOptions } = options;
  const oblivious = options.treeShape === 'oblivious';
  // Leaf-wise: a round's k trees side by side, so at most k threads; oblivious: a level's features dealt out.
  const workers = Math.min(threads === 0 ? availableParallelism() : threads, oblivious ? d : k);
  const thresholds = numericThresholds(X, n, features, options.maxBins, deriveSeed(seed, streams.binning));
  // Oblivious trees' workers read their own row-major copy of the bins (oblivious-levels.ts), not these columns.
  const data = binTrainingSet(X, y, features, thresholds, k, workers > 1 && !oblivious, true);
  const { train, validation } = splitValidation(n, options.validationFraction, new Random(deriveSeed(seed, streams.validation)));
  const baseScore = logPriors(y, train, k);
  const buffers = roundBuffers(n, k, workers > 1);
  const { grad, hess, sample, others, margins } = buffers;
  for (let r = 0; r < n; r++) margins.set(baseScore, r * k);
  const init: ClassTreeInit = {
    data,
    params: {
      maxDepth: options.maxDepth,
      maxLeaves: options.maxLeaves,
      lambda: options.lambda,
      minChildWeight: options.minChildWeight,
      minSamplesLeaf: options.minSamplesLeaf,
      minSplitGain: options.minSplitGain,
      learningRate: options.learningRate,
      catSmooth: options.catSmooth,
      catL2: options.catL2,
      maxCatThreshold: options.maxCatThreshold,
      minDataPerGroup: options.minDataPerGroup,
    },
    buffers,
  };
  // Each round's k trees grow side by side on the workers, or one after the other here.
  const pool = workers > 1 && !oblivious ? new ThreadPool<ClassTreeJob, GrownTree>(workerFile, init, workers) : null;
  const grower = pool || oblivious ? null : new GradientTreeGrower(data, init.params);
  const state = oblivious ? obliviousState(data, buffers.sample, options.maxDepth, options.lambda, workers > 1) : null;
  const levelPool = state && workers > 1 ? new ThreadPool<LevelJob, LevelSplit>(levelWorkerFile, state, workers) : null;
  const obliviousGrower = state
    ? new ObliviousGrower(data, state, { depth: options.maxDepth, lambda: options.lambda, learningRate: options.learningRate, minSplitGain: options.minSplitGain }, workers, (jobs) =>
        levelPool ? levelPool.run(jobs, undefined, hooks.signal) : Promise.resolve(jobs.map((job) => growLevel(state, job))),
      )
    : null;
  const obliviousTrees: ObliviousTree[] = [];
  const p = new Float64Array(k);
  const perFeature = Math.max(1, Math.ceil(options.colsample * d));
  const trees: GrownTree[] = [];
  const validationLoss: number[] = [];
  let bestRound = -1;
  let bestLoss = Infinity;
  try {
    for (let round = 0; round < numRounds; round++) {
      hooks.signal?.throwIfAborted();
      for (const r of train) {
        p.set(margins.subarray(r * k, r * k + k));
        softmaxInPlace(p, 0, k);
        for (let c = 0; c < k; c++) {
          const pc = p[c]!;
          grad[c]![r] = pc - (y[r] === c ? 1 : 0);
          hess[c]![r] = Math.max(pc * (1 - pc), minHessian);
        }
      }
      const m = sampleRows(train, options.subsample, new Random(deriveSeed(seed, streams.rows, round)), sample);
      const o = complement(sample, m, n, others);
      if (obliviousGrower) {
        const features = pickFeatures(d, perFeature, new Random(deriveSeed(seed, streams.features, round, 0)));
        const tree = await obliviousGrower.grow(m, grad, hess, features, margins);
        addObliviousTree(tree, data, others.subarray(0, o), margins, k);
        obliviousTrees.push(tree);
      } else {
        const jobs = Array.from({ length: k }, (_, c): ClassTreeJob => ({
          cls: c,
          m,
          o,
          features: pickFeatures(d, perFeature, new Random(deriveSeed(seed, streams.features, round, c))),
        }));
        const roundTrees = pool ? await pool.run(jobs, undefined, hooks.signal) : jobs.map((job) => growClassTree(grower!, init, job));
        Atomics.load(buffers.fence, 0);
        trees.push(...roundTrees);
      }
      hooks.onProgress?.({ treesDone: round + 1, numTrees: numRounds });
      if (validation.length > 0) {
        const loss = logLoss(margins, y, validation, k, p);
        validationLoss.push(loss);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestRound = round;
        } else if (round - bestRound >= options.earlyStoppingRounds) break;
      } else bestRound = round;
      await yieldToEventLoop();
    }
  } finally {
    await pool?.close();
    await levelPool?.close();
  }
  hooks.signal?.throwIfAborted();
  const rounds = bestRound + 1;
  const common = { features: features.map((f) => ({ ...f })), numClasses: k, options: { ...trainingOptions, seed, numRounds }, rounds, baseScore, validationLoss };
  if (oblivious) {
    const kept = obliviousTrees.slice(0, rounds);
    return { ...common, oblivious: assembleOblivious(kept, thresholds, options.maxDepth, k), importances: levelGains(kept, d) };
  }
  const kept = trees.slice(0, rounds * k);
  // A split of all values from the missing ones has no threshold bin: its threshold is +∞.
  const withInfinity = thresholds.map((t) => (t ? Float64Array.of(...t, Infinity) : null));
  return { ...common, forest: assembleForest(kept, withInfinity, aritiesOf(features), k), importances: totalGains(kept, d) };
}

/** Adds an oblivious tree's leaf values to the margins of rows it did not grow on, from their bins. */
function addObliviousTree(tree: ObliviousTree, data: Parameters<typeof leafOfRow>[1], rows: Uint32Array, margins: Float64Array, k: number): void {
  for (const r of rows) {
    const leaf = leafOfRow(tree, data, r) * k;
    for (let c = 0; c < k; c++) margins[r * k + c] = margins[r * k + c]! + tree.leafValues[leaf + c]!;
  }
}

/** Per feature: its share of the score gained by all kept oblivious levels. */
function levelGains(trees: readonly ObliviousTree[], d: number): Float64Array {
  const out = new Float64Array(d);
  for (const t of trees) t.feature.forEach((f, l) => (out[f] = out[f]! + t.gain[l]!));
  return normalised(out);
}

/** A seeded share of the rows held out (exactly round(n × fraction), in increasing order) and the rest. */
function splitValidation(n: number, fraction: number, rng: Random): { train: Uint32Array; validation: Uint32Array } {
  const m = Math.round(n * fraction);
  const validation = new Uint32Array(m);
  const train = new Uint32Array(n - m);
  let v = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    if (v < m && rng.nextFloat() * (n - i) < m - v) validation[v++] = i;
    else train[t++] = i;
  }
  return { train, validation };
}

/** Each row kept with probability `rate` (all of them at 1; at least one); returns how many. */
function sampleRows(rows: Uint32Array, rate: number, rng: Random, out: Uint32Array): number {
  if (rate >= 1) {
    out.set(rows);
    return rows.length;
  }
  let m = 0;
  for (const r of rows) if (rng.nextFloat() < rate) out[m++] = r;
  if (m === 0) out[m++] = rows[0]!;
  return m;
}

/** `count` of the d features, drawn without replacement, in increasing order. */
function pickFeatures(d: number, count: number, rng: Random): Int32Array {
  const perm = Int32Array.from({ length: d }, (_, j) => j);
  if (count >= d) return perm;
  for (let i = 0; i < count; i++) {
    const j = i + rng.nextInt(d - i);
    const f = perm[j]!;
    perm[j] = perm[i]!;
    perm[i] = f;
  }
  return perm.subarray(0, count).sort();
}

function logPriors(y: Uint8Array, rows: Uint32Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (const r of rows) counts[y[r]!]!++;
  // One pseudo-row per class keeps the log finite when a class is absent.
  return counts.map((c) => Math.log((c + 1) / (rows.length + k)));
}

/** The rows 0..n-1 not in `sorted[0..m)` (increasing), written to `out`; returns how many. */
function complement(sorted: Uint32Array, m: number, n: number, out: Uint32Array): number {
  let o = 0;
  let j = 0;
  for (let r = 0; r < n; r++) {
    if (j < m && sorted[j] === r) j++;
    else out[o++] = r;
  }
  return o;
}

/** Mean negative log-likelihood of the rows' labels under the softmax of their margins. */
function logLoss(margins: Float64Array, y: Uint8Array, rows: Uint32Array, k: number, p: Float64Array): number {
  let sum = 0;
  for (const r of rows) {
    p.set(margins.subarray(r * k, r * k + k));
    softmaxInPlace(p, 0, k);
    sum -= Math.log(Math.max(p[y[r]!]!, 1e-15));
  }
  return sum / rows.length;
}

/** Per feature: its share of the loss reduction of all kept splits. */
function totalGains(trees: readonly GrownTree[], d: number): Float64Array {
  const out = new Float64Array(d);
  for (const t of trees) for (let f = 0; f < d; f++) out[f] = out[f]! + t.importances[f]!;
  return normalised(out);
}

function normalised(gains: Float64Array): Float64Array {
  const total = gains.reduce((a, b) => a + b, 0);
  if (total > 0) for (let f = 0; f < gains.length; f++) gains[f] = gains[f]! / total;
  return gains;
}
