import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { PreparedFeatures, TrainingActivities, TrialResult } from '../activities/training';
import type { ResolvedTrainingInput } from '../common/contracts/training';
import {
  preparationOf,
  resolveTuningInput,
  tuningProgressQuery,
  type ResolvedTuningInput,
  type TrialOutcome,
  type TuneFlightDelayModelInput,
  type TuneFlightDelayModelResult,
  type TuningProgress,
  type TuningWorkflow,
} from '../common/contracts/tuning';
import { rootCauseMessage } from '../common/root-cause';
import { tellScoringToReload } from './scoring-reload';

/** The steps' activities: the training DAG's retries and heartbeats; a cancelled tuning waits for its trials to stop. */
function workActivities(base: ResolvedTrainingInput): TrainingActivities {
  return proxyActivities<TrainingActivities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: `${base.heartbeatTimeoutSeconds} seconds`,
    retry: { initialInterval: `${base.retry.initialIntervalSeconds} seconds`, backoffCoefficient: 1, maximumAttempts: base.retry.maximumAttempts },
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
}

const cleanup = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** The best finished trial: the highest held-out accuracy (the promotion's rule), the earlier on a tie. */
function bestOf(outcomes: readonly TrialOutcome[]): TrialOutcome | undefined {
  return outcomes.filter((t) => t.status === 'finished').reduce<TrialOutcome | undefined>((best, t) => (!best || t.accuracy! > best.accuracy! ? t : best), undefined);
}

/**
 * Tunes the flight-delay model: trials of training over a search space (grid or random, within a budget),
 * fanned out as activities over the training workers, `parallelism` at a time. One parent MLflow run holds
 * the table of trials and the best; each trial is a child run. The features are prepared once per feature
 * set; the best trial's model is registered and goes through training's champion/challenger promotion.
 * Cancelling it stops the trials and ends the parent run KILLED.
 */
export const tuneFlightDelayModel: TuningWorkflow = async (rawInput: TuneFlightDelayModelInput = {}): Promise<TuneFlightDelayModelResult> => {
  let input: ResolvedTuningInput;
  try {
    input = resolveTuningInput(rawInput);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`invalid tuning input: ${(err as Error).message}`, 'InvalidTrainingInput');
  }
  const { workflowId, runId: workflowRunId } = workflowInfo();
  const progress: TuningProgress = { stage: 'starting', trialsTotal: input.trials.length, trialsDone: 0, trialsFailed: 0, trialsRunning: 0 };
  setHandler(tuningProgressQuery, () => progress);
  const act = workActivities(input.base);
  const outcomes: TrialOutcome[] = [];
  const prepared = new Map<string, Promise<PreparedFeatures>>();
  const { base } = input;

  /** The prepared features of a trial's preparation, made by the first trial that needs them. */
  const preparedFor = (training: ResolvedTrainingInput): Promise<PreparedFeatures> => {
    const key = JSON.stringify(preparationOf(training));
    let p = prepared.get(key);
    if (!p) {
      p = act.prepareFeatures({ workflowId: `${workflowId}.prep-${prepared.size}`, ...preparationOf(training) });
      prepared.set(key, p);
    }
    return p;
  };
  const dirs = async (): Promise<string[]> =>
    (await Promise.allSettled(prepared.values())).flatMap((r) => (r.status === 'fulfilled' ? [r.value.dir] : []));

  try {
    const run = await act.startTuningRun({
      workflowId,
      workflowRunId,
      runName: `tuning ${base.dataset} ${workflowId}`,
      params: {
        dataset: base.dataset,
        row_limit: base.limit ?? 'none',
        test_fraction: base.testFraction,
        split_seed: base.splitSeed,
        feature_set: base.featureSet,
        strategy: input.strategy,
        max_trials: input.maxTrials,
        search_seed: input.seed,
        parallelism: input.parallelism,
        trials: input.trials.length,
        promote: base.promote,
        space: JSON.stringify(input.space).slice(0, 6000),
      },
      space: input.space,
      trials: input.trials.map(({ trial }) => trial),
    });
    Object.assign(progress, { mlflowRunId: run.runId, mlflowRunUrl: run.url, stage: 'running trials' });

    const queue = [...input.trials];
    const trialDirs = new Map<number, string>();
    const lane = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { trial, input: training } = next;
        const features = await preparedFor(training);
        progress.trialsRunning++;
        let outcome: TrialOutcome;
        try {
          const r: TrialResult = await act.runTrial({ workflowId, parentRunId: run.runId, index: trial.index, values: trial.values, training, prepDir: features.dir });
          outcome = { index: trial.index, values: trial.values, status: 'finished', mlflowRunId: r.mlflowRunId, accuracy: r.accuracy, weightedF1: r.weightedF1, logLoss: r.logLoss, baselineAccuracy: r.baselineAccuracy, trainingSeconds: r.trainingSeconds };
          trialDirs.set(trial.index, r.dir);
          progress.trialsDone++;
        } catch (err) {
          if (isCancellation(err)) {
            outcomes.push({ index: trial.index, values: trial.values, status: 'cancelled' });
            throw err;
          }
          log.warn('a trial failed', { trial: trial.index, error: rootCauseMessage(err) });
          outcome = { index: trial.index, values: trial.values, status: 'failed', error: rootCauseMessage(err) };
          progress.trialsFailed++;
        } finally {
          progress.trialsRunning--;
        }
        outcomes.push(outcome);
        const best = bestOf(outcomes);
        if (best) progress.best = { index: best.index, accuracy: best.accuracy!, values: best.values, mlflowRunId: best.mlflowRunId };
      }
    };
    // Every lane is waited for, even after one fails, so that no trial still runs when the parent run ends.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(input.parallelism, input.trials.length) }, lane));
    const stopped = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (stopped) throw stopped.reason;
    outcomes.sort((a, b) => a.index - b.index);

    const best = bestOf(outcomes);
    if (!best) throw ApplicationFailure.nonRetryable(`none of the ${outcomes.length} trials finished; the first failure: ${outcomes[0]?.error ?? 'none'}`, 'NoTrialFinished');
    const bestDir = trialDirs.get(best.index)!;
    progress.stage = 'registering';
    const { version } = await act.registerModel({ runId: best.mlflowRunId!, dir: bestDir });
    progress.version = version;
    progress.stage = 'promoting';
    const promotion = await act.promoteModel({ runId: best.mlflowRunId!, version, dir: bestDir, policy: base.promote });
    if (promotion.promoted) await tellScoringToReload(version);
    await act.finishTuningRun({ runId: run.runId, outcome: 'finished', trials: outcomes, best, version, dirs: await dirs() });
    progress.stage = 'done';
    return {
      mlflowRunId: run.runId,
      mlflowRunUrl: run.url,
      trials: outcomes,
      best,
      version,
      promoted: promotion.promoted,
      promotionReason: promotion.reason,
      championVersion: promotion.championVersion,
    };
  } catch (err) {
    const cancelled = isCancellation(err);
    progress.stage = cancelled ? 'cancelled' : 'failed';
    const message = cancelled ? 'the tuning was cancelled; its trials were stopped' : rootCauseMessage(err);
    outcomes.sort((a, b) => a.index - b.index);
    await CancellationScope.nonCancellable(async () => {
      if (progress.mlflowRunId) {
        const folders = await dirs();
        await cleanup
          .finishTuningRun({ runId: progress.mlflowRunId, outcome: cancelled ? 'cancelled' : 'failed', trials: outcomes, best: bestOf(outcomes), note: message, dirs: folders })
          .catch((e: unknown) => log.warn('could not end the parent MLflow run', { error: rootCauseMessage(e) }));
      }
      if (!cancelled) {
        await cleanup.notifyFailure({ workflowId, mlflowRunId: progress.mlflowRunId, message }).catch((e: unknown) => {
          log.warn('could not send the failure notice', { error: rootCauseMessage(e) });
        });
      }
    });
    throw err;
  }
};
