import { ForestError, show } from '../forest/errors';
import type { FeatureSpec } from '../forest/feature-spec';
import { argmaxRows, ForestScorer } from '../forest/scoring';
import type { FitHooks } from '../forest/training';
import { validateTrainingSet } from '../forest/training-set';
import { resolveBoostedOptions, type BoostedOptions } from './options';
import { fromBoostedJSON, toBoostedJSON, type BoostedJSON } from './serialization';
import { numObliviousTrees, ObliviousScorer } from './oblivious-ensemble';
import { softmaxInPlace } from './softmax';
import { trainBoosting, type TrainedBoosting } from './training';

interface Fitted {
  model: TrainedBoosting;
  /** Adds the trees' margins of `rows` rows of X to out (rows×k, zeroed). */
  scorer: (X: Float64Array, rows: number, out: Float64Array) => void;
}

function fitted(model: TrainedBoosting): Fitted {
  const { oblivious, forest, features } = model;
  if (oblivious) {
    const scorer = new ObliviousScorer(oblivious, features.length);
    return { model, scorer: (X, rows, out) => scorer.addScores(X, rows, out) };
  }
  const scorer = new ForestScorer(forest!, 1, true);
  return { model, scorer: (X, rows, out) => scorer.predictProbaInto(X, rows, out) };
}

/**
 * Gradient-boosted trees for multiclass classification (softmax loss), on the forest's binned data:
 * shrinkage, depth, L2 regularisation, minimum child weight and rows, row and feature subsampling,
 * early stopping on a seeded validation share of the training rows. Two shapes (options.treeShape):
 * leaf-wise trees, one per class per round, whose splits each learn which side missing values (NaN)
 * go; or oblivious trees, one per round for all classes, scored by a WebAssembly SIMD walk, where
 * missing values go right. Reproducible from `seed`, the same model for any number of threads.
 */
export class BoostedTreesClassifier {
  readonly options: BoostedOptions;
  private state: Fitted | null = null;

  /** Throws ForestError (a RangeError) naming the first bad option. */
  constructor(options: Partial<BoostedOptions> = {}) {
    this.options = resolveBoostedOptions(options);
  }

  /**
   * Trains on X (row-major n×d; NaN marks a missing numeric value) and y (class ids). Progress counts
   * rounds (`treesDone` of `numTrees` = rounds done of numRounds); the signal stops between rounds.
   */
  async fit(X: Float64Array, y: Uint8Array, features: readonly FeatureSpec[], numClasses: number, hooks: FitHooks = {}): Promise<this> {
    validateTrainingSet(X, y, features, numClasses);
    const model = await trainBoosting(X, y, features, numClasses, this.options, hooks);
    this.state = fitted(model);
    return this;
  }

  static load(json: unknown): BoostedTreesClassifier {
    const model = fromBoostedJSON(json);
    const boosted = new BoostedTreesClassifier(model.options);
    boosted.state = fitted(model);
    return boosted;
  }

  toJSON(): BoostedJSON {
    return toBoostedJSON(this.fitted().model);
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

  /** Trees in the model: rounds kept × classes (leaf-wise), rounds kept (oblivious: a tree serves every class). */
  get numTrees(): number {
    const { forest, oblivious } = this.fitted().model;
    return oblivious ? numObliviousTrees(oblivious) : forest!.roots.length;
  }

  /** Rounds kept after early stopping. */
  get rounds(): number {
    return this.fitted().model.rounds;
  }

  /** Validation log loss after each round grown during fit (empty after load or without validation rows). */
  get validationLoss(): number[] {
    return [...this.fitted().model.validationLoss];
  }

  /** Per feature, its share of the total loss reduction of all splits. */
  featureImportances(): Float64Array {
    return this.fitted().model.importances.slice();
  }

  /** Class probabilities of n rows of the row-major X (n×d): a Float64Array n×numClasses. */
  predictProba(X: Float64Array, n?: number): Float64Array {
    const { model, scorer } = this.fitted();
    const rows = this.checkRows(X, n);
    const k = model.numClasses;
    const out = new Float64Array(rows * k);
    scorer(X, rows, out);
    for (let r = 0, o = 0; r < rows; r++, o += k) {
      for (let c = 0; c < k; c++) out[o + c] = out[o + c]! + model.baseScore[c]!;
      softmaxInPlace(out, o, k);
    }
    return out;
  }

  predict(X: Float64Array, n?: number): Uint8Array {
    const proba = this.predictProba(X, n);
    return argmaxRows(proba, proba.length / this.numClasses, this.numClasses);
  }

  private fitted(): Fitted {
    if (this.state === null) throw new Error('BoostedTreesClassifier: not trained; call fit() or BoostedTreesClassifier.load() first');
    return this.state;
  }

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
