import type { MlflowClient } from '../../common/clients/mlflow';
import type { MonitoringDocument } from '../../common/contracts/monitoring';
import { mlflowNames } from '../../common/names';
import { delayClassLabels } from '../../models/features/delay-classes';
import { confusionMatrixPng } from '../../models/report';

/** The MLflow experiment of the monitor's windows (apart from the trainings', whose runs compare models). */
export const monitoringExperiment = `${mlflowNames.experiment}-monitoring`;

/** The tags that find a window's run again and link it to its model version. */
export const windowTags = {
  window: 'monitor.window',
  modelName: 'monitor.registered_model',
  modelVersion: 'monitor.model_version',
  flightDate: 'monitor.flight_date',
  source: 'monitor.source',
  role: 'monitor.role',
} as const;

/**
 * Logs a window's metrics on its MLflow run — one run per window (flight date, source, version, role),
 * created the first time, logged again (the next step of each metric) each time the window is computed
 * again — with its confusion matrix as a PNG. Resolves with the run's id.
 */
export async function logWindowRun(mlflow: MlflowClient, registeredModel: string, w: MonitoringDocument): Promise<string> {
  const experimentId = await mlflow.getOrCreateExperiment(monitoringExperiment);
  const [existing] = await mlflow.searchRuns([experimentId], `tags.\`${windowTags.window}\` = '${w._id}'`, { maxResults: 1 });
  const run =
    existing ??
    (await mlflow.createRun(experimentId, {
      runName: `live ${w.FlightDate} ${w.Source} v${w.ModelVersion}${w.Role === 'challenger' ? ' challenger' : ''}`,
      tags: {
        [windowTags.window]: w._id,
        [windowTags.modelName]: registeredModel,
        [windowTags.modelVersion]: w.ModelVersion,
        [windowTags.flightDate]: w.FlightDate,
        [windowTags.source]: w.Source,
        [windowTags.role]: w.Role,
        'mlflow.note.content': `Live metrics of ${registeredModel} version ${w.ModelVersion} on the ${w.Source} predictions of flights of ${w.FlightDate} whose actual arrival is in.`,
      },
    }));
  const runId = run.info.runId;
  const step = existing ? (await mlflow.getMetricHistory(runId, 'outcomes')).length : 0;
  const metric = (key: string, value: number | null) => (value === null ? [] : [{ key, value, step }]);
  await mlflow.logBatch(runId, {
    metrics: [
      ...metric('outcomes', w.Rows),
      ...metric('live_accuracy', w.Accuracy),
      ...metric('live_weighted_f1', w.WeightedF1),
      ...metric('live_log_loss', w.LogLoss),
      ...metric('live_ece', w.ECE),
      ...metric('held_out_accuracy', w.HeldOutAccuracy),
      ...metric('accuracy_gap', w.HeldOutAccuracy === null ? null : w.HeldOutAccuracy - w.Accuracy),
      ...metric('predicted_class_psi', w.PredictedClassPSI),
      ...metric('actual_class_psi', w.ActualClassPSI),
    ],
  });
  const k = delayClassLabels.length;
  const confusion = Array.from({ length: k }, (_, a) => w.Confusion.slice(a * k, (a + 1) * k));
  await mlflow.uploadArtifact(runId, 'confusion_matrix.png', confusionMatrixPng(confusion, delayClassLabels, { title: `Live: ${w.FlightDate}, ${w.Source}, version ${w.ModelVersion}` }), 'image/png');
  await mlflow.updateRun(runId, 'FINISHED');
  return runId;
}
