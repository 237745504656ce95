/**
 * The contract of the tuning workflow `tuneFlightDelayModel`: its input and the input's validation, its
 * result, its progress query, the recipe of its workflow id and the helper that starts it. A tuning runs
 * trials of the training workflow's steps over a search space (search-space.ts), each trial an MLflow
 * child run of one parent run; the best is registered and promoted as training promotes.
 */
import { defineQuery } from '@temporalio/workflow';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { taskQueues, workflowTypes } from '../names';
import { checkSpace, planTrials, trialInput as trialInputOf, type SearchSpace, type SearchStrategy, type Trial } from './search-space';
import { resolveTrainingInput, trainingWorkflowId, type ResolvedTrainingInput, type TrainFlightDelayModelInput } from './training';

export type { SearchSpace, SearchStrategy, Trial } from './search-space';

/**
 * What a user passes to tuneFlightDelayModel: every training option (the base of every trial: the data
 * set, its limit and split, the promotion policy, …) and the search.
 */
export interface TuneFlightDelayModelInput extends TrainFlightDelayModelInput {
  /** Option path → values to try, e.g. `{"featureSet": ["seed", "rich"], "forest.numTrees": [20, 50]}`. Default `{}`: one trial of the base. */
  space?: SearchSpace;
  /** "grid" (default): the grid's points in order; "random": distinct points drawn with `seed`. */
  strategy?: SearchStrategy;
  /** The budget: at most this many trials (default 10). */
  maxTrials?: number;
  /** The random search's seed (default 1). */
  seed?: number;
  /** Trials in flight at once (default 2); each takes one training worker's activity slot. */
  parallelism?: number;
}

export interface ResolvedTuningInput {
  /** The base of every trial (the training input without the search fields), defaults filled in. */
  base: ResolvedTrainingInput;
  trials: { trial: Trial; input: ResolvedTrainingInput }[];
  strategy: SearchStrategy;
  maxTrials: number;
  seed: number;
  parallelism: number;
  space: SearchSpace;
}

export const tuningLimits = { maxTrials: 200, parallelism: 16 } as const;

/** Fills in the defaults, plans the trials and checks each trial's input; throws a RangeError naming the first bad field. */
export function resolveTuningInput(input: TuneFlightDelayModelInput = {}): ResolvedTuningInput {
  const { space = {}, strategy = 'grid', maxTrials = 10, seed = 1, parallelism = 2, ...training } = input;
  const bad = (field: string, why: string, value: unknown): never => {
    throw new RangeError(`${field} ${why}, got ${JSON.stringify(value)}`);
  };
  if (strategy !== 'grid' && strategy !== 'random') bad('strategy', 'must be "grid" or "random"', strategy);
  if (!(Number.isInteger(maxTrials) && maxTrials >= 1 && maxTrials <= tuningLimits.maxTrials)) bad('maxTrials', `must be an integer in 1..${tuningLimits.maxTrials}`, maxTrials);
  if (!(Number.isInteger(parallelism) && parallelism >= 1 && parallelism <= tuningLimits.parallelism)) bad('parallelism', `must be an integer in 1..${tuningLimits.parallelism}`, parallelism);
  if (!Number.isInteger(seed)) bad('seed', 'must be an integer', seed);
  checkSpace(space);
  const base = resolveTrainingInput(training);
  const trials = planTrials(space, strategy, maxTrials, seed).map((trial) => {
    try {
      return { trial, input: resolveTrainingInput(trialInputOf(training, trial)) };
    } catch (err) {
      throw new RangeError(`trial ${trial.index} (${Object.keys(trial.values).join(', ')}): ${(err as Error).message}`);
    }
  });
  return { base, trials, strategy, maxTrials, seed, parallelism, space };
}

/**
 * The options the data preparation depends on: trials that agree on them share one prepared folder
 * (the features are built once per feature set, not once per trial). Keep in step with what the
 * training workflow passes to prepareFeatures.
 */
export function preparationOf(
  input: ResolvedTrainingInput,
): Pick<ResolvedTrainingInput, 'dataset' | 'limit' | 'featureSet' | 'testFraction' | 'splitSeed' | 'split' | 'cutDate'> {
  return {
    dataset: input.dataset,
    limit: input.limit,
    featureSet: input.featureSet,
    testFraction: input.testFraction,
    splitSeed: input.splitSeed,
    split: input.split,
    ...(input.cutDate !== undefined ? { cutDate: input.cutDate } : {}),
  };
}

/** One trial's outcome, as the parent run's table lists it. */
export interface TrialOutcome {
  index: number;
  values: Record<string, unknown>;
  status: 'finished' | 'failed' | 'cancelled';
  mlflowRunId?: string;
  accuracy?: number;
  weightedF1?: number;
  logLoss?: number;
  baselineAccuracy?: number;
  trainingSeconds?: number;
  /** Why it failed (its root cause). */
  error?: string;
}

export interface TuneFlightDelayModelResult {
  mlflowRunId: string;
  mlflowRunUrl: string;
  trials: TrialOutcome[];
  best: TrialOutcome;
  /** The registered version of the best trial's model. */
  version: string;
  promoted: boolean;
  promotionReason: string;
  championVersion: string | undefined;
}

export type TuningWorkflow = (input?: TuneFlightDelayModelInput) => Promise<TuneFlightDelayModelResult>;

/** Where a tuning is: for the CLI, the API and the Temporal UI's query tab. */
export interface TuningProgress {
  stage: 'starting' | 'preparing features' | 'running trials' | 'registering' | 'promoting' | 'done' | 'failed' | 'cancelled';
  trialsTotal: number;
  trialsDone: number;
  trialsFailed: number;
  trialsRunning: number;
  mlflowRunId?: string;
  mlflowRunUrl?: string;
  best?: { index: number; accuracy: number; values: Record<string, unknown>; mlflowRunId?: string };
  version?: string;
}
export const tuningProgressQuery = defineQuery<TuningProgress>('tuningProgress');

/** `tune-<name>-<UTC time>`: a new id for every tuning. */
export function tuningWorkflowId(name: string, at: Date = new Date()): string {
  return trainingWorkflowId(name, at).replace(/^train-/, 'tune-');
}

/** Starts a tuning on the training task queue (or the one given); the handle follows it. */
export async function startTuning(
  client: Client,
  input: TuneFlightDelayModelInput,
  options: { workflowId?: string; taskQueue?: string } = {},
): Promise<{ workflowId: string; runId: string; handle: WorkflowHandle<TuningWorkflow> }> {
  const workflowId = options.workflowId ?? tuningWorkflowId(input.dataset ?? 'nycflights13');
  const handle = await client.workflow.start<TuningWorkflow>(workflowTypes.tuning, {
    taskQueue: options.taskQueue ?? taskQueues.training,
    workflowId,
    args: [input],
  });
  return { workflowId, runId: handle.firstExecutionRunId, handle };
}
