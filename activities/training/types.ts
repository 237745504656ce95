import type { FeatureSet } from '../../models/features/flight-features';
import type { ForestOptions } from '../../models/forest';
import type { SplitKind } from '../../models/split';
import type { SplitFacts } from '../../models/training-steps';
import type { PromotionPolicy, ResolvedTrainingInput } from '../../common/contracts/training';
import type { TrialOutcome } from '../../common/contracts/tuning';
import type { BoostedOptions } from '../../models/boosting';
import type { EstimatorKind } from '../../models/estimator';

export type { PromotionPolicy, TrainingHeartbeat } from '../../common/contracts/training';

export interface StartRunInput {
  workflowId: string;
  workflowRunId: string;
  runName: string;
  dataset: string;
  featureSet: FeatureSet;
  testFraction: number;
  splitSeed: number;
  /** Absent in histories recorded before the time split: 'random'. */
  split?: SplitKind;
  cutDate?: string;
  /** Flights before this date are left out (a retraining's recent window). */
  from?: string;
  /** Flights after this date are left out (a retraining's last date with known outcomes). */
  through?: string;
  /** Why the model is trained (a retraining's evidence): the run's tag `trigger_reason`. */
  reason?: string;
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
  /** Absent in histories recorded before the time split: 'random'. */
  split?: SplitKind;
  cutDate?: string;
  /** Flights before `from` and after `through` are left out. */
  from?: string;
  through?: string;
  limit?: number;
}

/** What prepareFeatures leaves in its folder, summed up (the data itself stays on disk). */
export interface PreparedFeatures extends Partial<SplitFacts> {
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
  /** The random split's share and seed (absent in folders written before they were recorded). */
  testFraction?: number;
  splitSeed?: number;
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

export interface StartTuningRunInput {
  workflowId: string;
  workflowRunId: string;
  runName: string;
  /** The search's settings and the base input, as MLflow params. */
  params: Record<string, string | number>;
  space: Record<string, readonly unknown[]>;
  /** The planned trials (search_space.json). */
  trials: { index: number; values: Record<string, unknown> }[];
}

export interface TrialInput {
  /** The tuning's workflow id (tagged on the child run, so it links to its workflow too). */
  workflowId: string;
  parentRunId: string;
  index: number;
  /** What this trial tries, by option path. */
  values: Record<string, unknown>;
  /** The training input of this trial, defaults filled in. */
  training: ResolvedTrainingInput;
  /** The folder its features were prepared in (prepareFeatures' `dir`). */
  prepDir: string;
}

export interface TrialResult extends EvaluationSummary {
  index: number;
  mlflowRunId: string;
  /** The trial's own folder (its model and metrics; registerModel and promoteModel read it). */
  dir: string;
  trainingSeconds: number;
}

export interface FinishTuningInput {
  runId: string;
  outcome: 'finished' | 'failed' | 'cancelled';
  trials: TrialOutcome[];
  best?: TrialOutcome;
  version?: string;
  note?: string;
  /** Work folders to remove when the tuning finished or was cancelled. */
  dirs?: string[];
}
