import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import type { FinishTuningInput, StartTuningRunInput, TrainingActivities, TrialInput, TrialResult } from '../../../activities/training';
import { startTuning, type TuneFlightDelayModelInput } from '../../../common/contracts/tuning';
import { pause, standIn, type HistoryCase, type Recording, type RecordedRun } from './recording';
import { standInTraining } from './training';

/** A trial that finishes (or fails for good at 13 trees) at once. */
const finishedTrial = standIn((input: TrialInput): TrialResult => {
  const trees = input.training.forest.numTrees ?? 20;
  if (trees === 13) throw ApplicationFailure.create({ type: 'InvalidTrainingInput', message: 'invalid forest parameters: options.numTrees: unlucky (stand-in)', nonRetryable: true });
  const accuracy = 0.5 + trees / 1000 + (input.training.featureSet === 'rich' ? 0.01 : 0);
  return { index: input.index, mlflowRunId: `c0ffee${String(input.index).padStart(26, '0')}`, dir: `${input.prepDir}/trial-${input.index}`, trainingSeconds: 0.4, accuracy, weightedPrecision: accuracy, weightedRecall: accuracy, weightedF1: accuracy - 0.02, logLoss: 1.05, baselineAccuracy: 0.41, testRows: 389 };
});

/**
 * Stand-ins for the tuning's activities: training's (prepare, register, promote) and the trials', whose
 * accuracy grows with the trees tried; a trial of `forest.numTrees` 13 fails for good (a bad option),
 * one of 99 runs (heartbeating) until it is cancelled.
 */
function standInTuning(): TrainingActivities {
  const parent = 'b4e2d3c5f6a7489900bbccddeeff0011';
  return {
    ...standInTraining({ promoted: true }),
    startTuningRun: standIn((input: StartTuningRunInput) => ({ runId: parent, experimentId: '1', reused: false, url: `http://127.0.0.1:5000/#/experiments/1/runs/${parent}?name=${encodeURIComponent(input.runName)}` })),
    runTrial: async (input: TrialInput): Promise<TrialResult> => {
      if (input.training.forest.numTrees === 99) {
        const ctx = Context.current();
        for (;;) {
          ctx.heartbeat();
          await ctx.sleep(100);
        }
      }
      return finishedTrial(input);
    },
    finishTuningRun: standIn((_input: FinishTuningInput) => undefined),
  };
}

async function tune(rec: Recording, file: string, input: TuneFlightDelayModelInput, fails = false, cancel = false): Promise<RecordedRun> {
  const workflowId = rec.workflowId('tune-nycflights13');
  await rec.withWorker(standInTuning(), async (taskQueue) => {
    const { handle } = await startTuning(rec.client, input, { workflowId, taskQueue });
    if (cancel) {
      // Cancelled once the endless trial runs (its first heartbeat is in).
      while (!((await handle.describe()).raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'runTrial' && a.lastHeartbeatTime)) await pause(100);
      await handle.cancel();
    }
    await handle.result().catch((err: unknown) => {
      if (!((fails || cancel) && err instanceof WorkflowFailedError)) throw err;
    });
  });
  return { file, workflowId };
}

const base: TuneFlightDelayModelInput = { dataset: 'nycflights13', limit: 2000, retry: { initialIntervalSeconds: 1, maximumAttempts: 2 } };

export const tuningCases: HistoryCase[] = [
  {
    // Two feature sets (two preparations), a failed trial, two lanes; the best promoted with no stream to tell.
    name: 'tuning: a grid of six trials, one failing, the best promoted',
    record: async (rec) => [await tune(rec, 'tuning-grid', { ...base, space: { featureSet: ['seed', 'rich'], 'forest.numTrees': [5, 13, 20] }, maxTrials: 6, parallelism: 2 })],
  },
  {
    name: 'tuning: a random search within its budget',
    record: async (rec) => [await tune(rec, 'tuning-random', { ...base, strategy: 'random', seed: 7, maxTrials: 3, parallelism: 3, space: { 'forest.numTrees': [5, 10, 20, 30], 'forest.maxDepth': [3, 5] } })],
  },
  {
    name: 'tuning: every trial failing fails it (the parent run marked FAILED)',
    record: async (rec) => [await tune(rec, 'tuning-failed', { ...base, space: { 'forest.numTrees': [13] } }, true)],
  },
  {
    name: 'tuning: cancelled mid-trial (the trials stopped, the parent run KILLED)',
    record: async (rec) => [await tune(rec, 'tuning-cancelled', { ...base, space: { 'forest.numTrees': [5, 99, 20] }, parallelism: 2, heartbeatTimeoutSeconds: 2 }, false, true)],
  },
];
