import type { MlflowClient, Metric } from '../../common/clients/mlflow';
import type { TrialOutcome } from '../../common/contracts/tuning';
import { mlflowTags } from '../../common/names';
import type { MlflowNames } from './mlflow-names';
import type { FinishTuningInput, StartRunResult, StartTuningRunInput } from './types';
import { WorkFolder } from './work-folder';
import type { WebHdfsClient } from '../../common/clients/webhdfs';

/** Tags of a tuning's parent run. */
export const tuningTags = {
  role: 'tuning.role',
  outcome: 'tuning.outcome',
  bestTrial: 'tuning.best_trial',
  bestRunId: 'tuning.best_run_id',
} as const;

/**
 * Opens the parent MLflow run of a tuning, or finds the one a previous attempt opened (by the workflow
 * execution's tags), and logs the search: its settings as params, its planned trials as an artifact.
 */
export async function startTuningRun(mlflow: MlflowClient, names: MlflowNames, input: StartTuningRunInput): Promise<StartRunResult> {
  const experimentId = await mlflow.getOrCreateExperiment(names.experiment);
  const filter = `tags."${mlflowTags.workflowId}" = '${input.workflowId}' and tags."${mlflowTags.workflowRunId}" = '${input.workflowRunId}'`;
  const [existing] = await mlflow.searchRuns([experimentId], filter, { maxResults: 1 });
  const run =
    existing ??
    (await mlflow.createRun(experimentId, {
      runName: input.runName,
      tags: { [mlflowTags.workflowId]: input.workflowId, [mlflowTags.workflowRunId]: input.workflowRunId, [tuningTags.role]: 'parent' },
    }));
  await mlflow.logBatch(run.info.runId, { params: input.params });
  await mlflow.uploadArtifact(run.info.runId, 'search_space.json', JSON.stringify({ space: input.space, trials: input.trials }, null, 2), 'application/json');
  return {
    runId: run.info.runId,
    experimentId,
    reused: existing !== undefined,
    url: `${mlflow.baseUrl}/#/experiments/${experimentId}/runs/${run.info.runId}`,
  };
}

const csvColumns = ['index', 'status', 'accuracy', 'weightedF1', 'logLoss', 'baselineAccuracy', 'trainingSeconds', 'mlflowRunId', 'values', 'error'] as const;

function csvCell(v: unknown): string {
  const s = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table of trials as CSV: one row per trial, its values as JSON. */
export function trialsCsv(trials: readonly TrialOutcome[]): string {
  return [csvColumns.join(','), ...trials.map((t) => csvColumns.map((c) => csvCell(t[c])).join(','))].join('\n') + '\n';
}

/**
 * Ends a tuning's parent run: the table of trials (trials.json, trials.csv), the best trial's metrics as
 * best_*, the outcome as a tag (finished, failed, cancelled), then the status. A finished tuning's work
 * folders go; a failed one's stay, to look into.
 */
export async function finishTuningRun(mlflow: MlflowClient, hdfs: WebHdfsClient, input: FinishTuningInput): Promise<void> {
  const { runId, trials, best } = input;
  await mlflow.uploadArtifact(runId, 'trials.json', JSON.stringify(trials, null, 2), 'application/json');
  await mlflow.uploadArtifact(runId, 'trials.csv', trialsCsv(trials), 'text/csv');
  const metrics: Metric[] = [
    { key: 'trials_finished', value: trials.filter((t) => t.status === 'finished').length },
    { key: 'trials_failed', value: trials.filter((t) => t.status === 'failed').length },
    { key: 'trials_cancelled', value: trials.filter((t) => t.status === 'cancelled').length },
  ];
  const tags: Record<string, string> = { [tuningTags.outcome]: input.outcome };
  if (input.note) tags[input.outcome === 'cancelled' ? 'cancelled' : 'failure'] = input.note.slice(0, 4000);
  if (best) {
    for (const [key, value] of [['best_accuracy', best.accuracy], ['best_weighted_f1', best.weightedF1], ['best_log_loss', best.logLoss], ['best_trial', best.index]] as const) {
      if (value !== undefined) metrics.push({ key, value });
    }
    tags[tuningTags.bestTrial] = String(best.index);
    if (best.mlflowRunId) tags[tuningTags.bestRunId] = best.mlflowRunId;
  }
  if (input.version) tags['registered_version'] = input.version;
  await mlflow.logBatch(runId, { metrics, tags });
  const status = input.outcome === 'finished' ? 'FINISHED' : input.outcome === 'cancelled' ? 'KILLED' : 'FAILED';
  await mlflow.updateRun(runId, status);
  if (input.outcome !== 'failed') {
    for (const dir of input.dirs ?? []) await new WorkFolder(hdfs, dir).remove();
  }
}
