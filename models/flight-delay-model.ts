import type { Evaluation } from './metrics';
import { checkSerialized } from './features/feature-error';
import { delayClassLabels } from './features/delay-classes';
import { FeaturePipeline, type FeatureLookupReport, type FeatureSpec } from './features/pipeline';
import type { FlightInput } from './features/flight-features';
import type { FlightLookups } from './features/lookups';
import { loadEstimator, saveEstimator, type Estimator, type EstimatorType } from './estimator';
import { profileCodes, type FeatureProfile } from './feature-profile';

export interface Prediction {
  /** 0–3, see delayClassLabels. */
  prediction: number;
  label: string;
  /** Probability of each class, in class order. */
  probabilities: number[];
  /** Which features the lookup tables gave and which were missing (empty for the 'seed' and 'rich' sets). */
  featureLookups: FeatureLookupReport;
  /** The flight's feature bins in the model's training profile (feature-profile.ts); absent for a model saved without one. */
  featureBins?: string;
}

export interface ModelInfo {
  /** The data set the model was trained on, and its content hash. */
  dataset: string;
  datasetHash: string;
  trainRows: number;
  testRows: number;
  /** Metrics on the held-out rows. */
  evaluation: Evaluation;
  trainedAt: string;
  trainingSeconds: number;
  /** The distribution of each feature on the training rows: what the monitor measures drift against (absent in models trained before it was kept). */
  featureProfile?: FeatureProfile;
}

/** The saved form (version 2). Version 1 files, from before the boosted trees, hold a `forest` instead of `estimator` and `model`. */
export interface FlightDelayModelJSON {
  type: 'FlightDelayModel';
  version: 2;
  info: ModelInfo;
  pipeline: unknown;
  estimator: EstimatorType;
  model: unknown;
}

/**
 * A trained model: the fitted feature pipeline and the estimator (random forest or boosted trees),
 * saved and loaded together so that scoring always computes features exactly as training did.
 */
export class FlightDelayModel {
  constructor(
    readonly pipeline: FeaturePipeline,
    readonly estimator: Estimator,
    readonly info: ModelInfo,
  ) {}

  get labels(): readonly string[] {
    return delayClassLabels;
  }

  featureSpecs(): FeatureSpec[] {
    return this.pipeline.featureSpecs();
  }

  /** Feature importances by feature name, largest first. */
  featureImportances(): { feature: string; importance: number }[] {
    const imp = this.estimator.featureImportances();
    return this.pipeline.features
      .map((feature, j) => ({ feature, importance: imp[j] ?? 0 }))
      .sort((a, b) => b.importance - a.importance);
  }

  /**
   * Scores one flight; throws FeatureError naming the field of an invalid value. A model of a feature set
   * with lookups reads `lookups` (the same tables training read); without them its looked-up features are missing.
   */
  predictOne(input: FlightInput, lookups?: FlightLookups): Prediction {
    const report: FeatureLookupReport = { lookedUp: [], missing: [] };
    const x = this.pipeline.transformOne(input, lookups, report);
    return this.toPrediction(this.estimator.predictProba(x, 1), x, 0, report);
  }

  /** Scores many flights at once (the fast path for batches). */
  predictMany(inputs: readonly FlightInput[], lookups?: FlightLookups): Prediction[] {
    const reports: FeatureLookupReport[] = new Array<FeatureLookupReport>(inputs.length);
    const x = this.pipeline.transform(inputs, lookups, reports);
    const proba = this.estimator.predictProba(x, inputs.length);
    return inputs.map((_, i) => this.toPrediction(proba, x, i, reports[i]!));
  }

  toJSON(): FlightDelayModelJSON {
    return { type: 'FlightDelayModel', version: 2, info: this.info, pipeline: this.pipeline.toJSON(), ...saveEstimator(this.estimator) };
  }

  /** Loads version 2 (either estimator, by its tag) and version 1 (a forest) files. */
  static load(json: unknown): FlightDelayModel {
    const version = typeof json === 'object' && json !== null && (json as { version?: unknown }).version === 1 ? 1 : 2;
    const o = checkSerialized(json, 'FlightDelayModel', version);
    const pipeline = FeaturePipeline.load(o.pipeline);
    const estimator = version === 1 ? loadEstimator('RandomForest', o.forest) : loadEstimator(o.estimator, o.model);
    if (estimator.numFeatures !== pipeline.numFeatures) {
      throw new RangeError(`FlightDelayModel.load: the estimator expects ${estimator.numFeatures} features, the pipeline makes ${pipeline.numFeatures}`);
    }
    return new FlightDelayModel(pipeline, estimator, o.info as ModelInfo);
  }

  private toPrediction(proba: Float64Array, x: Float64Array, row: number, featureLookups: FeatureLookupReport): Prediction {
    const k = delayClassLabels.length;
    const probabilities = Array.from(proba.subarray(row * k, row * k + k));
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[c]! > probabilities[best]!) best = c;
    const profile = this.info.featureProfile;
    return { prediction: best, label: delayClassLabels[best]!, probabilities, featureLookups, ...(profile ? { featureBins: profileCodes(profile, x, row) } : {}) };
  }
}
