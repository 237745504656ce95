import { CancelledFailure, Context } from '@temporalio/activity';
import type { MlflowClient } from '../../common/clients/mlflow';
import type { WebHdfsClient } from '../../common/clients/webhdfs';
import { describeTrial } from '../../common/contracts/search-space';
import { mlflowTags } from '../../common/names';
import { rootCauseMessage } from '../../common/root-cause';
import { evaluateModel } from './evaluate-model';
import { logResults } from './mlflow-run';
import { saving } from './saving';
import { checkedEstimatorOptions, estimatorChoice, trainForest } from './train-forest';
import { TrialFolder } from './trial-folder';
import type { TrialInput, TrialResult } from './types';
import { WorkFolder } from './work-folder';

const trialTags = { attempt: 'tuning.trial_attempt', outcome: 'tuning.outcome' } as const;

/** Throws when the tuning was cancelled (seen at the last heartbeat): a trial stops between its steps too. */
function stopIfCancelled(ctx: Context): void {
  ctx.heartbeat();
  if (ctx.cancellationSignal.aborted) throw new CancelledFailure('the tuning was cancelled');
}

/**
 * The child run of a trial under the tuning's parent run: found again by the parent and the trial's
 * index when a previous attempt opened it (a worker killed mid-trial), so a trial has one run whatever
 * its attempts; each attempt sets it RUNNING and tags its number.
 */
async function trialRun(mlflow: MlflowClient, input: TrialInput, attempt: number): Promise<string> {
  const parent = await mlflow.getRun(input.parentRunId);
  const experimentId = parent.info.experimentId;
  const filter = `tags."${mlflowTags.parentRunId}" = '${input.parentRunId}' and tags."${mlflowTags.trialIndex}" = '${input.index}'`;
  const [existing] = await mlflow.searchRuns([experimentId], filter, { maxResults: 1 });
  const runId =
    existing?.info.runId ??
    (
      await mlflow.createRun(experimentId, {
        runName: `trial ${input.index}: ${describeTrial(input)}`.slice(0, 250),
        tags: { [mlflowTags.parentRunId]: input.parentRunId, [mlflowTags.trialIndex]: String(input.index), [mlflowTags.workflowId]: input.workflowId },
      })
    ).info.runId;
  if (existing && existing.info.status !== 'RUNNING') await mlflow.updateRun(runId, 'RUNNING');
  await mlflow.setTag(runId, trialTags.attempt, String(attempt));
  return runId;
}

/**
 * One trial of a tuning, as one activity: opens (or finds) its child run, logs its parameters, then runs
 * training's own steps — train, evaluate, log the results — on a folder of its own beside the shared
 * features. Heartbeats all along: a cancelled tuning stops the trial (its run ends KILLED), a worker
 * killed mid-trial loses that attempt only (Temporal retries it, the same run goes on).
 */
export async function runTrial(mlflow: MlflowClient, hdfs: WebHdfsClient, input: TrialInput): Promise<TrialResult> {
  const ctx = Context.current();
  const runId = await trialRun(mlflow, input, ctx.info.attempt);
  try {
    const choice = estimatorChoice(input.training);
    const options = checkedEstimatorOptions(choice);
    await mlflow.logBatch(runId, {
      params: {
        dataset: input.training.dataset,
        feature_set: input.training.featureSet,
        test_fraction: input.training.testFraction,
        split_seed: input.training.splitSeed,
        row_limit: input.training.limit ?? 'none',
        trial_index: input.index,
        estimator: choice.estimator,
        ...Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])),
        // The trial's own values under their paths: options the lines above do not name (a new estimator's) are logged too.
        ...Object.fromEntries(Object.entries(input.values).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
      },
    });
    stopIfCancelled(ctx);
    const folder = new TrialFolder(hdfs, new WorkFolder(hdfs, input.prepDir), input.index);
    const trained = await trainForest(folder, { dir: folder.path, ...choice });
    stopIfCancelled(ctx);
    const evaluation = await saving(() => evaluateModel(folder, { trained }));
    stopIfCancelled(ctx);
    await saving(() => logResults(mlflow, folder, { runId }));
    await mlflow.updateRun(runId, 'FINISHED');
    return { index: input.index, mlflowRunId: runId, dir: folder.path, trainingSeconds: trained.trainingSeconds, ...evaluation };
  } catch (err) {
    const cancelled = ctx.cancellationSignal.aborted || err instanceof CancelledFailure;
    // A failed attempt leaves its run FAILED until the next attempt takes it up again.
    await mlflow.logBatch(runId, { tags: cancelled ? { [trialTags.outcome]: 'cancelled' } : { failure: rootCauseMessage(err).slice(0, 4000) } }).catch(() => undefined);
    await mlflow.updateRun(runId, cancelled ? 'KILLED' : 'FAILED').catch(() => undefined);
    // Reported as a cancellation (not a failure) whatever the step threw when it was stopped.
    if (cancelled && !(err instanceof CancelledFailure)) throw new CancelledFailure('the tuning was cancelled', [], err instanceof Error ? err : undefined);
    throw err;
  }
}
