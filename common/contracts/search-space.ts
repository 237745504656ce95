/**
 * A tuning's search space and the trials it makes, with no I/O (the tuning workflow runs it). A space
 * names options of the training input by path — `featureSet`, `forest.numTrees`, `estimator`,
 * `boosted.learningRate`, … — each with the values to try; a trial is a partial training input that
 * overrides the tuning's base input at those paths. So an option training learns needs no change here.
 */
import type { TrainFlightDelayModelInput } from './training';

/** Option path (dots into the training input) → the values to try. */
export type SearchSpace = Record<string, readonly unknown[]>;

export type SearchStrategy = 'grid' | 'random';

/**
 * Paths a space may not vary: the data every trial is compared on (the same rows, the same split) and
 * the workflow's own policies. The promotion compares models on held-out rows; different rows would not compare.
 */
export const fixedPaths = ['dataset', 'limit', 'testFraction', 'splitSeed', 'split', 'cutDate', 'promote', 'retry', 'heartbeatTimeoutSeconds'] as const;

/** One trial: its index (its place in the tuning, also its id) and the values it tries, by path. */
export interface Trial {
  index: number;
  values: Record<string, unknown>;
}

/** Throws a RangeError naming the first path of the space that is not usable. */
export function checkSpace(space: SearchSpace): void {
  if (typeof space !== 'object' || space === null || Array.isArray(space)) throw new RangeError(`space must be an object of option paths to lists of values, got ${JSON.stringify(space)}`);
  for (const [path, values] of Object.entries(space)) {
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(path)) throw new RangeError(`space.${path}: not an option path (names joined by dots, like forest.numTrees)`);
    const root = path.split('.')[0]!;
    if ((fixedPaths as readonly string[]).includes(root)) throw new RangeError(`space.${path}: ${root} is the same for every trial (set it beside the space)`);
    if (!Array.isArray(values) || values.length === 0) throw new RangeError(`space.${path} must be a non-empty list of values, got ${JSON.stringify(values)}`);
  }
}

/** The distinct values of each dimension, in the order given (a value listed twice is tried once). */
function dimensions(space: SearchSpace): [string, unknown[]][] {
  return Object.entries(space).map(([path, values]) => {
    const seen = new Set<string>();
    return [path, values.filter((v) => !seen.has(JSON.stringify(v)) && seen.add(JSON.stringify(v)) !== undefined)];
  });
}

/** The number of points of the grid. */
export function gridSize(space: SearchSpace): number {
  return dimensions(space).reduce((n, [, values]) => n * values.length, 1);
}

/** Point `k` of the grid (the last dimension varies fastest). */
function gridPoint(dims: [string, unknown[]][], k: number): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (let d = dims.length - 1; d >= 0; d--) {
    const [path, options] = dims[d]!;
    values[path] = options[k % options.length];
    k = Math.floor(k / options.length);
  }
  return Object.fromEntries(dims.map(([path]) => [path, values[path]]));
}

/** mulberry32: a small seeded generator (the same trials for the same seed, in a workflow or not). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The trials of a search: `grid` takes the grid's points in order, up to `maxTrials`; `random` draws
 * `maxTrials` distinct points of the grid (all of them when it is smaller), seeded.
 */
export function planTrials(space: SearchSpace, strategy: SearchStrategy, maxTrials: number, seed: number): Trial[] {
  checkSpace(space);
  const dims = dimensions(space);
  const size = gridSize(space);
  const n = Math.min(size, maxTrials);
  let points: number[];
  if (strategy === 'grid' || n === size) {
    points = Array.from({ length: n }, (_, k) => k);
  } else {
    // Floyd's sampling: n distinct points of [0, size) without listing the grid.
    const next = random(seed);
    const chosen = new Set<number>();
    for (let j = size - n; j < size; j++) {
      const t = Math.floor(next() * (j + 1));
      chosen.add(chosen.has(t) ? j : t);
    }
    points = [...chosen];
  }
  return points.map((k, index) => ({ index, values: gridPoint(dims, k) }));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The training input of one trial: the base with the trial's values set at their paths. */
export function trialInput(base: TrainFlightDelayModelInput, trial: Trial): TrainFlightDelayModelInput {
  const input = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  for (const [path, value] of Object.entries(trial.values)) {
    const keys = path.split('.');
    let node = input;
    for (const key of keys.slice(0, -1)) {
      const child = node[key];
      const next = isRecord(child) ? child : {};
      node[key] = next;
      node = next;
    }
    node[keys[keys.length - 1]!] = value;
  }
  return input;
}

/** A trial's values as one short line: `featureSet=rich forest.numTrees=50`. */
export function describeTrial(trial: Trial): string {
  const parts = Object.entries(trial.values).map(([path, v]) => `${path}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length > 0 ? parts.join(' ') : 'the base input';
}
