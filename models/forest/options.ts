import { availableParallelism } from 'node:os';
import { ForestError, show } from './errors';

export type FeatureSubsetStrategy = 'auto' | 'all' | 'sqrt' | 'log2' | 'onethird' | number;
export type Impurity = 'gini' | 'entropy';

/** Spark MLlib's RandomForestClassifier parameters, with Spark's defaults. */
export interface ForestOptions {
  numTrees: number;
  /** Depth 0 is a single leaf; Spark allows up to 30. */
  maxDepth: number;
  /** Quantile bins per numeric feature. Categorical features always get one bin per category. */
  maxBins: number;
  /** Minimum (bootstrap-weighted) rows in each child of a split. */
  minInstancesPerNode: number;
  minInfoGain: number;
  /** Features tried at each node: 'auto' is 'sqrt' for a forest and 'all' for a single tree; a number is a fraction in (0, 1]. */
  featureSubsetStrategy: FeatureSubsetStrategy;
  subsamplingRate: number;
  /** Poisson(subsamplingRate) row weights when true; sampling without replacement when false. */
  bootstrap: boolean;
  impurity: Impurity;
  seed: number;
  /** Worker threads for training; 1 trains on the calling thread. Never changes the result. */
  threads: number;
}

/** The options that shape the model (saved with it); `threads` only changes how fast it is trained. */
export type TrainingOptions = Omit<ForestOptions, 'threads'>;

export const defaultTrainingOptions: Readonly<TrainingOptions> = Object.freeze({
  numTrees: 20,
  maxDepth: 5,
  maxBins: 32,
  minInstancesPerNode: 1,
  minInfoGain: 0,
  featureSubsetStrategy: 'auto',
  subsamplingRate: 1,
  bootstrap: true,
  impurity: 'gini',
  seed: 42,
});

const strategies = ['auto', 'all', 'sqrt', 'log2', 'onethird'] as const;
const maxBinsLimit = 65536;

function integerIn(name: string, v: unknown, min: number, max: number): void {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    throw new ForestError(`options.${name}`, `expected an integer in ${min}..${max}, got ${show(v)}`);
  }
}

function numberIn(name: string, v: unknown, test: (x: number) => boolean, range: string): void {
  if (typeof v !== 'number' || !test(v)) throw new ForestError(`options.${name}`, `expected a number ${range}, got ${show(v)}`);
}

/** Merges options with the defaults once and checks every value; throws ForestError naming the option. */
export function resolveTrainingOptions(options: unknown = {}): TrainingOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ForestError('options', `expected an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(defaultTrainingOptions, key) && key !== 'threads') {
      throw new ForestError(`options.${key}`, `unknown option; known: ${Object.keys(defaultTrainingOptions).join(', ')}, threads`);
    }
  }
  // An option given as undefined takes its default, like an absent one.
  const given = Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'threads'));
  const o: TrainingOptions = { ...defaultTrainingOptions, ...(given as Partial<TrainingOptions>) };
  integerIn('numTrees', o.numTrees, 1, 100_000);
  integerIn('maxDepth', o.maxDepth, 0, 30);
  integerIn('maxBins', o.maxBins, 2, maxBinsLimit);
  integerIn('minInstancesPerNode', o.minInstancesPerNode, 1, Number.MAX_SAFE_INTEGER);
  numberIn('minInfoGain', o.minInfoGain, (x) => x >= 0 && Number.isFinite(x), '≥ 0');
  const s = o.featureSubsetStrategy;
  if (typeof s === 'number' ? !(s > 0 && s <= 1) : !(strategies as readonly unknown[]).includes(s)) {
    throw new ForestError('options.featureSubsetStrategy', `expected one of ${strategies.join(', ')} or a fraction in (0, 1], got ${show(s)}`);
  }
  numberIn('subsamplingRate', o.subsamplingRate, (x) => x > 0 && x <= 1, 'in (0, 1]');
  if (typeof o.bootstrap !== 'boolean') throw new ForestError('options.bootstrap', `expected true or false, got ${show(o.bootstrap)}`);
  if (o.impurity !== 'gini' && o.impurity !== 'entropy') {
    throw new ForestError('options.impurity', `expected "gini" or "entropy", got ${show(o.impurity)}`);
  }
  if (!Number.isSafeInteger(o.seed)) throw new ForestError('options.seed', `expected a safe integer, got ${show(o.seed)}`);
  return o;
}

/** The training options plus the thread count (default: one per core, at most one per tree). */
export function resolveForestOptions(options: unknown = {}): ForestOptions {
  const training = resolveTrainingOptions(options);
  const given = (options as Partial<ForestOptions>).threads;
  const threads = given ?? Math.max(1, Math.min(training.numTrees, availableParallelism()));
  integerIn('threads', threads, 1, 1024);
  return { ...training, threads };
}

/** How many features each node considers, as Spark computes it (rounding up, at least one). */
export function featuresPerNode(strategy: FeatureSubsetStrategy, numFeatures: number, numTrees: number): number {
  const d = numFeatures;
  let m: number;
  if (typeof strategy === 'number') m = Math.ceil(strategy * d);
  else if (strategy === 'all' || (strategy === 'auto' && numTrees === 1)) m = d;
  else if (strategy === 'sqrt' || strategy === 'auto') m = Math.ceil(Math.sqrt(d));
  else if (strategy === 'log2') m = Math.ceil(Math.log2(d));
  else m = Math.ceil(d / 3);
  return Math.min(d, Math.max(1, m));
}
