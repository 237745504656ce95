/**
 * Links into MLflow's web UI that open as a model-training experiment, and what the experiment carries
 * for it. MLflow 3's UI has two modes, GenAI and "Model training", chosen per browser (localStorage
 * `mlflow.workflowType`, GenAI by default) or by the link's `workflowType` parameter; MLflow 3.17 reads
 * the mode from there and no longer from the experiment's `mlflow.experimentKind` tag (which the
 * Python client and earlier MLflow 3 releases use, and which we set as well). So every link we hand
 * out says `workflowType=machine_learning`, and the experiment's link opens a shared view of the runs
 * table with the evaluation metrics as columns.
 */
import type { MlflowTrackingClient } from './mlflow-tracking';

/** The experiment tag MLflow 3 reads as the experiment's kind, and the kind of a model-training experiment. */
export const experimentKindTag = 'mlflow.experimentKind';
export const customModelDevelopment = 'custom_model_development';

/** The UI mode of a link: MLflow's "Model training" (runs, models, charts) rather than GenAI (traces). */
const machineLearning = 'workflowType=machine_learning';

/** The runs table's shared view: an experiment tag `mlflow.sharedViewState.<key>` the link names. */
const sharedViewPrefix = 'mlflow.sharedViewState.';
export const runsViewKey = 'flight-delay-runs';

/** The runs table's columns in the shared view: MLflow's column keys ("metrics.`accuracy`"). */
export const runsViewColumns = [
  'attributes.`Dataset`',
  'attributes.`Models`',
  'metrics.`accuracy`',
  'metrics.`weighted_f1`',
  'metrics.`log_loss`',
  'metrics.`ece`',
  'metrics.`baseline_accuracy`',
  'params.`split`',
  'params.`cut_date`',
  'params.`feature_set`',
  'params.`numTrees`',
  'params.`maxDepth`',
] as const;

export const experimentUrl = (baseUrl: string, experimentId: string): string =>
  `${baseUrl}/#/experiments/${experimentId}/runs?${machineLearning}&viewStateShareKey=${runsViewKey}`;

export const runUrl = (baseUrl: string, experimentId: string, runId: string): string =>
  `${baseUrl}/#/experiments/${experimentId}/runs/${runId}?${machineLearning}`;

/**
 * Marks the experiment as a model-training one and stores the runs table's shared view (both tags are
 * set again each time: idempotent, and a view edited in MLflow is put back to this one).
 */
export async function markModelTrainingExperiment(mlflow: MlflowTrackingClient, experimentId: string, columns: readonly string[] = runsViewColumns): Promise<void> {
  await mlflow.setExperimentTag(experimentId, experimentKindTag, customModelDevelopment);
  const view = { selectedColumns: columns, orderByKey: 'attributes.start_time', orderByAsc: false };
  await mlflow.setExperimentTag(experimentId, `${sharedViewPrefix}${runsViewKey}`, JSON.stringify(view));
}
