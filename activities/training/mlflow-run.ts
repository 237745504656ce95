import type { MlflowClient, Metric, RunStatus } from '../../common/clients/mlflow';
import { mlflowTags } from '../../common/names';
import { modelArtifactPath } from '../../common/model-registry';
import type { MlflowNames } from './mlflow-names';
import { confusionMatrixPng, featureImportancePng, reliabilityPng } from '../../models/report';
import { markModelTrainingExperiment, runUrl } from '../../common/clients/mlflow-ui';
import { logModel } from './mlflow-logged-model';
import { splitDatasets } from './mlflow-model-file';
import type { StoredMetrics } from './evaluate-model';
import { checkedEstimatorOptions, estimatorChoice } from './train-forest';
import type { PreparedFeatures, StartRunInput, StartRunResult } from './types';
import { files, type WorkFolder } from './work-folder';

/** Short metric-name stems for the four delay classes. */
const classKeys = ['early', 'slightly_early', 'slightly_late', 'very_late'] as const;

/**
 * Opens the MLflow run of this workflow execution, or finds the one a previous attempt opened (runs are
 * tagged with the workflow and run ids), so a retried activity never makes a second run. Logs every
 * hyper-parameter: the estimator and its options with their defaults filled in, and the split. Marks the
 * experiment as a model-training one (MLflow's UI then opens it on its runs table).
 */
export async function startRun(mlflow: MlflowClient, names: MlflowNames, input: StartRunInput): Promise<StartRunResult> {
  const choice = estimatorChoice(input);
  const options = checkedEstimatorOptions(choice);
  const experimentId = await mlflow.getOrCreateExperiment(names.experiment);
  await markModelTrainingExperiment(mlflow, experimentId);
  const filter = `tags."${mlflowTags.workflowId}" = '${input.workflowId}' and tags."${mlflowTags.workflowRunId}" = '${input.workflowRunId}'`;
  const [existing] = await mlflow.searchRuns([experimentId], filter, { maxResults: 1 });
  const run =
    existing ??
    (await mlflow.createRun(experimentId, {
      runName: input.runName,
      tags: {
        [mlflowTags.workflowId]: input.workflowId,
        [mlflowTags.workflowRunId]: input.workflowRunId,
        ...(input.reason ? { trigger_reason: input.reason.slice(0, 4000) } : {}),
      },
    }));
  await mlflow.logBatch(run.info.runId, {
    params: {
      dataset: input.dataset,
      feature_set: input.featureSet,
      test_fraction: input.testFraction,
      split_seed: input.splitSeed,
      split: input.split ?? 'random',
      ...(input.cutDate ? { cut_date: input.cutDate } : {}),
      ...(input.from ? { from_date: input.from } : {}),
      ...(input.through ? { through_date: input.through } : {}),
      row_limit: input.limit ?? 'none',
      estimator: choice.estimator,
      ...Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])),
    },
  });
  return {
    runId: run.info.runId,
    experimentId,
    reused: existing !== undefined,
    url: runUrl(mlflow.baseUrl, experimentId, run.info.runId),
  };
}

/**
 * Logs what training produced: data set facts, metrics (calibration among them), the training and
 * evaluation sides of the split as the run's dataset inputs, the model and pipeline as run artifacts
 * (what the registry serves from) and as an MLflow logged model with its MLmodel file, and three charts.
 */
export async function logResults(mlflow: MlflowClient, folder: WorkFolder, input: { runId: string }): Promise<void> {
  const { runId } = input;
  const prepared = await folder.readJson<PreparedFeatures>(files.prepared);
  const { evaluation: e, importances } = await folder.readJson<StoredMetrics>(files.metrics);
  const modelText = await folder.readText(files.model);
  const model = JSON.parse(modelText) as { info: { trainingSeconds: number } };
  const metrics: Metric[] = [
    { key: 'accuracy', value: e.accuracy },
    { key: 'weighted_precision', value: e.weightedPrecision },
    { key: 'weighted_recall', value: e.weightedRecall },
    { key: 'weighted_f1', value: e.weightedF1 },
    { key: 'log_loss', value: e.logLoss },
    { key: 'baseline_accuracy', value: e.baselineAccuracy },
    { key: 'ece', value: e.ece },
    { key: 'training_seconds', value: model.info.trainingSeconds },
    ...e.perClass.flatMap((c, i) => [
      { key: `precision_${classKeys[i]}`, value: c.precision },
      { key: `recall_${classKeys[i]}`, value: c.recall },
    ]),
  ];
  await mlflow.logBatch(runId, {
    metrics,
    params: {
      dataset_name: prepared.dataset,
      dataset_sha256: prepared.datasetHash,
      rows_read: prepared.rowsRead,
      rows_kept: prepared.rowsKept,
      rows_dropped: prepared.rowsDropped,
      train_rows: prepared.trainRows,
      test_rows: prepared.testRows,
      features: prepared.features.join(','),
      ...(prepared.cutDate ? { cut_date: prepared.cutDate } : {}),
      ...(prepared.trainDates ? { train_dates: `${prepared.trainDates.first}..${prepared.trainDates.last}` } : {}),
      ...(prepared.testDates ? { test_dates: `${prepared.testDates.first}..${prepared.testDates.last}` } : {}),
    },
  });
  await mlflow.logInputs(runId, splitDatasets(prepared, { testFraction: prepared.testFraction ?? 0.2, splitSeed: prepared.splitSeed ?? 42 }));
  const title = `held-out rows: ${e.rows.toLocaleString('en-US')}, accuracy ${e.accuracy.toFixed(3)} (baseline ${e.baselineAccuracy.toFixed(3)})`;
  await mlflow.uploadArtifact(runId, modelArtifactPath, modelText, 'application/json');
  await mlflow.uploadArtifact(runId, 'model/pipeline.json', await folder.read(files.pipeline), 'application/json');
  await mlflow.uploadArtifact(runId, 'metrics.json', JSON.stringify({ evaluation: e, importances }, null, 2), 'application/json');
  await mlflow.uploadArtifact(runId, 'confusion_matrix.png', confusionMatrixPng(e.confusion, e.perClass.map((c) => c.label), { title: `Confusion matrix, ${title}` }), 'image/png');
  await mlflow.uploadArtifact(runId, 'feature_importance.png', featureImportancePng(importances, { title: 'Feature importance (impurity decrease)' }), 'image/png');
  await mlflow.uploadArtifact(runId, 'reliability.png', reliabilityPng(e.calibration, { title: `Reliability, held-out rows (${prepared.split ?? 'random'} split)`, ece: e.ece }), 'image/png');
  const logged = await logModel(mlflow, { runId, modelText, pipelineText: (await folder.read(files.pipeline)).toString('utf8'), features: prepared.features, params: await runParams(mlflow, runId) });
  await folder.writeJson(files.loggedModel, logged);
}

/** The run's params (the forest's options, the split, …): the logged model carries them too. */
async function runParams(mlflow: MlflowClient, runId: string): Promise<Record<string, string>> {
  return (await mlflow.getRun(runId)).data.params;
}

/** Ends the MLflow run; a finished training's work folder is removed (a failed one's is kept, to look into). */
export async function finishRun(
  mlflow: MlflowClient,
  folder: WorkFolder | undefined,
  input: { runId: string; status: Extract<RunStatus, 'FINISHED' | 'FAILED' | 'KILLED'>; note?: string; dir?: string },
): Promise<void> {
  if (input.note) await mlflow.setTag(input.runId, 'failure', input.note.slice(0, 4000));
  await mlflow.updateRun(input.runId, input.status);
  if (folder && input.status === 'FINISHED') await folder.remove();
}
