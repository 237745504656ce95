import type { LoggedModel, MlflowClient } from '../../common/clients/mlflow';
import { mlmodelFile } from './mlflow-model-file';

/** What registerModel needs of the logged model: its id and where its files are. */
export interface LoggedModelRef {
  modelId: string;
  artifactUri: string;
}

/**
 * Logs the run's model as an MLflow 3 logged model: created once per run (a retried activity finds the
 * one it made, by its source run), its files uploaded (MLmodel, model.json, pipeline.json), recorded
 * as the run's output unless it is already, then marked READY. MLflow's UI lists it under the experiment's Models and the run.
 */
export async function logModel(
  mlflow: MlflowClient,
  input: { runId: string; modelText: string; pipelineText: string; features: readonly string[]; params: Record<string, string> },
): Promise<LoggedModelRef> {
  const { runId } = input;
  const run = await mlflow.getRun(runId);
  const { experimentId } = run.info;
  const [existing] = await mlflow.searchLoggedModels([experimentId], `source_run_id = '${runId}'`);
  const model: LoggedModel =
    existing ??
    (await mlflow.createLoggedModel(experimentId, {
      name: 'flight-delay-classifier',
      modelType: 'random-forest',
      sourceRunId: runId,
      params: Object.fromEntries(Object.entries(input.params).filter(([k]) => !k.startsWith('dataset'))),
    }));
  const mlmodel = mlmodelFile({ modelId: model.modelId, runId, features: input.features, createdAt: new Date() });
  await mlflow.uploadLoggedModelArtifact(model, 'MLmodel', mlmodel, 'text/yaml');
  await mlflow.uploadLoggedModelArtifact(model, 'model.json', input.modelText, 'application/json');
  await mlflow.uploadLoggedModelArtifact(model, 'pipeline.json', input.pipelineText, 'application/json');
  // Once only: MLflow refuses the same output twice (a retry after a crash that came after this step).
  if (!run.outputModelIds.includes(model.modelId)) await mlflow.logOutputs(runId, [model.modelId]);
  if (model.status !== 'LOGGED_MODEL_READY') await mlflow.finalizeLoggedModel(model.modelId, 'LOGGED_MODEL_READY');
  return { modelId: model.modelId, artifactUri: model.artifactUri };
}
