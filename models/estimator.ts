/**
 * The estimators a FlightDelayModel can hold — the random forest (the seed's model, the default) and
 * the boosted trees — behind one interface, with the tag each is saved under and the one place that
 * builds, saves and loads them.
 */
import { BoostedTreesClassifier, type BoostedOptions } from './boosting';
import { resolveBoostedOptions } from './boosting/options';
import { RandomForestClassifier, type ForestOptions } from './forest';
import { resolveForestOptions } from './forest/options';

/** What training chooses: `forest` (default) or `boosted`. */
export type EstimatorKind = 'forest' | 'boosted';
export const estimatorKinds: readonly EstimatorKind[] = ['forest', 'boosted'];

/** The tag a saved model carries for its estimator. */
export type EstimatorType = 'RandomForest' | 'BoostedTrees';

/** What scoring and evaluation need of an estimator, whichever it is. */
export interface Estimator {
  readonly numFeatures: number;
  readonly numClasses: number;
  /** Trees in the model (boosted: rounds kept × classes). */
  readonly numTrees: number;
  /** Class probabilities of n rows of the row-major X (n×d); NaN marks a missing numeric value. */
  predictProba(X: Float64Array, n?: number): Float64Array;
  /** Per feature, its share of the model's total gain (sums to 1 unless nothing split). */
  featureImportances(): Float64Array;
  toJSON(): unknown;
}

/** The estimator of a training and the options of each kind (only the chosen kind's are used). */
export interface EstimatorChoice {
  estimator: EstimatorKind;
  forest: Partial<ForestOptions>;
  boosted: Partial<BoostedOptions>;
}

/** The chosen estimator, unfitted; throws ForestError naming a bad option of the chosen kind. */
export function createEstimator(choice: EstimatorChoice): RandomForestClassifier | BoostedTreesClassifier {
  return choice.estimator === 'boosted' ? new BoostedTreesClassifier(choice.boosted) : new RandomForestClassifier(choice.forest);
}

/**
 * The chosen kind's options with every default filled in (what MLflow logs as parameters; the
 * thread count is left out, as it never changes the model); throws like createEstimator.
 */
export function resolvedEstimatorOptions(choice: EstimatorChoice): Record<string, string | number | boolean> {
  const { threads: _threads, ...options } = choice.estimator === 'boosted' ? resolveBoostedOptions(choice.boosted) : resolveForestOptions(choice.forest);
  return { ...options };
}

export function estimatorType(estimator: Estimator): EstimatorType {
  if (estimator instanceof RandomForestClassifier) return 'RandomForest';
  if (estimator instanceof BoostedTreesClassifier) return 'BoostedTrees';
  throw new TypeError('estimatorType: not a RandomForestClassifier or a BoostedTreesClassifier');
}

/** The saved form of an estimator: its tag and its own JSON. */
export function saveEstimator(estimator: Estimator): { estimator: EstimatorType; model: unknown } {
  return { estimator: estimatorType(estimator), model: estimator.toJSON() };
}

/** Loads a saved estimator by its tag; throws a RangeError naming an unknown tag or a bad field. */
export function loadEstimator(type: unknown, json: unknown): Estimator {
  if (type === 'RandomForest') return RandomForestClassifier.load(json);
  if (type === 'BoostedTrees') return BoostedTreesClassifier.load(json);
  throw new RangeError(`estimator: expected "RandomForest" or "BoostedTrees", got ${JSON.stringify(type)}`);
}
