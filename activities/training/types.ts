import type { FeatureSet } from '../../models/features/flight-features';
import type { ForestOptions } from '../../models/forest';
import type { BoostedOptions } from '../../models/boosting';
import type { EstimatorKind } from '../../models/estimator';
import type { PromotionPolicy } from '../../common/contracts/training';

export type { PromotionPolicy, TrainingHeartbeat } from '../../common/contracts/training';

export interface StartRunInput {
  workflowId: string;
  workflowRunId: string;
  runName: string;
  dataset: string;
  featureSet: FeatureSet;
  testFraction: number;
  splitSeed: number;
  limit?: number;
  /** Absent in inputs scheduled before the boosted trees: the forest. */
  estimator?: EstimatorKind;
  forest: Partial<ForestOptions>;
  boosted?: Partial<BoostedOptions>;
}

export interface StartRunResult {
  runId: string;
  experimentId: string;
  /** True when a run of this workflow execution existed already (a retried activity). */
  reused: boolean;
  url: string;
}

export interface PrepareInput {
  workflowId: string;
  dataset: string;
  featureSet: FeatureSet;
  testFraction: number;
  splitSeed: number;
  limit?: number;
}

/** What prepareFeatures leaves in its folder, summed up (the data itself stays on disk). */
export interface PreparedFeatures {
  dir: string;
  dataset: string;
  datasetHash: string;
  rowsRead: number;
  rowsKept: number;
  rowsDropped: number;
  rowsMalformed: number;
  trainRows: number;
  testRows: number;
  features: string[];
}

export interface TrainInput {
  dir: string;
  /** Absent in inputs scheduled before the boosted trees: the forest. */
  estimator?: EstimatorKind;
  forest: Partial<ForestOptions>;
  boosted?: Partial<BoostedOptions>;
}

export interface TrainResult {
  /** The fitted estimator in the work folder, saved with its tag. */
  estimatorFile: string;
  estimator: EstimatorKind;
  trainingSeconds: number;
  /** Trees in the model: the forest's, or the boosted rounds kept × classes. */
  trees: number;
}

export interface EvaluationSummary {
  accuracy: number;
  weightedPrecision: number;
  weightedRecall: number;
  weightedF1: number;
  logLoss: number;
  baselineAccuracy: number;
  testRows: number;
}

export interface RegisterResult {
  version: string;
  /** True when this run's version existed already (a retried activity). */
  reused: boolean;
}

export interface PromoteInput {
  runId: string;
  version: string;
  dir: string;
  policy: PromotionPolicy;
}

export interface PromoteResult {
  promoted: boolean;
  reason: string;
  /** The champion after this step. */
  championVersion: string | undefined;
  challengerAccuracy: number;
  /** The previous champion's accuracy on this run's held-out rows, when there was one. */
  previousChampion?: { version: string; accuracy: number };
}

export interface FailureNotice {
  workflowId: string;
  mlflowRunId?: string;
  message: string;
}
