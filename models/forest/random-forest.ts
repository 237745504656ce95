import { ForestError, show } from './errors';
import type { FeatureSpec } from './feature-spec';
import { resolveForestOptions, type ForestOptions } from './options';
import { argmaxRows, ForestScorer } from './scoring';
import { fromForestJSON, toForestJSON, type ForestJSON } from './serialization';
import { trainForest, type FitHooks, type TrainedForest } from './training';
import { validateTrainingSet } from './training-set';

interface Fitted {
  model: TrainedForest;
  scorer: ForestScorer;
}

/**
 * A random-forest classifier in the manner of Spark MLlib's: binned features, per-node feature
 * subsampling, categorical features split as category sets, class probabilities averaged over trees.
 * Training is reproducible from `seed` and identical for any number of threads.
 */
export class RandomForestClassifier {
  readonly options: ForestOptions;
  private state: Fitted | null = null;

  /** Throws ForestError (a RangeError) naming the first bad option. */
  constructor(options: Partial<ForestOptions> = {}) {
    this.options = resolveForestOptions(options);
  }

  /**
   * Trains on X (Float64Array, row-major n×d, d = features.length) and y (class ids 0..numClasses-1).
   * A NaN numeric value is missing: it counts as larger than every value (goes right at every split).
   * Rejects with a ForestError naming the row and feature of an infinite value, a NaN or out-of-range
   * category, or an out-of-range label.
   */
  async fit(X: Float64Array, y: Uint8Array, features: readonly FeatureSpec[], numClasses: number, hooks: FitHooks = {}): Promise<this> {
    validateTrainingSet(X, y, features, numClasses);
    const model = await trainForest(X, y, features, numClasses, this.options, hooks);
    this.state = { model, scorer: new ForestScorer(model.forest) };
    return this;
  }

  /** Restores a saved forest; throws ForestError (a RangeError) naming a bad type, version or field. */
  static load(json: unknown): RandomForestClassifier {
    const model = fromForestJSON(json);
    const forest = new RandomForestClassifier(model.options);
    forest.state = { model, scorer: new ForestScorer(model.forest) };
    return forest;
  }

  toJSON(): ForestJSON {
    return toForestJSON(this.fitted().model);
  }

  get isFitted(): boolean {
    return this.state !== null;
  }

  get numFeatures(): number {
    return this.fitted().model.features.length;
  }

  get numClasses(): number {
    return this.fitted().model.numClasses;
  }

  get numTrees(): number {
    return this.fitted().model.forest.roots.length;
  }

  get features(): FeatureSpec[] {
    return this.fitted().model.features.map((f) => ({ ...f }));
  }

  /** Per feature, its share of the forest's total impurity decrease (sums to 1 unless no tree split). */
  featureImportances(): Float64Array {
    return this.fitted().model.importances.slice();
  }

  /** Class probabilities of n rows of the row-major X (n×d): a Float64Array n×numClasses. */
  predictProba(X: Float64Array, n?: number): Float64Array {
    return this.probabilities(X, this.checkRows(X, n));
  }

  /** The most probable class of each row. */
  predict(X: Float64Array, n?: number): Uint8Array {
    const rows = this.checkRows(X, n);
    return argmaxRows(this.probabilities(X, rows), rows, this.numClasses);
  }

  /** Class probabilities of one row (a single request). */
  predictProbaOne(row: ArrayLike<number>): Float64Array {
    const d = this.numFeatures;
    if (row.length !== d) throw new ForestError('row', `expected ${d} feature values, got ${row.length}`);
    return this.predictProba(row instanceof Float64Array ? row : Float64Array.from(row), 1);
  }

  /** The most probable class of one row. */
  predictOne(row: ArrayLike<number>): number {
    return argmaxRows(this.predictProbaOne(row), 1, this.numClasses)[0]!;
  }

  private probabilities(X: Float64Array, rows: number): Float64Array {
    const { model, scorer } = this.fitted();
    const out = new Float64Array(rows * model.numClasses);
    scorer.predictProbaInto(X, rows, out);
    return out;
  }

  private fitted(): Fitted {
    if (this.state === null) throw new Error('RandomForestClassifier: not trained; call fit() or RandomForestClassifier.load() first');
    return this.state;
  }

  /**
   * The number of rows in X, checked against n when given. A missing numeric value (NaN) goes right at
   * every split, as in training, where it falls in the highest bin; a categorical NaN, like any value
   * outside 0..arity-1, follows each split's default side.
   */
  private checkRows(X: Float64Array, n?: number): number {
    const d = this.fitted().model.features.length;
    if (!(X instanceof Float64Array)) throw new ForestError('X', `expected a Float64Array (row-major n×d), got ${show(X)}`);
    const rows = n ?? X.length / d;
    if (!Number.isInteger(rows) || rows < 0 || X.length !== rows * d) {
      throw new ForestError('X', `expected ${n === undefined ? 'a multiple of' : `${n} rows ×`} ${d} features, got ${X.length} values`);
    }
    return rows;
  }
}
