/**
 * MLflow over its REST API (fetch only): experiments, runs, params/metrics/tags (./mlflow-tracking),
 * artifacts through the server's artifact proxy (./mlflow-artifacts), a run's dataset inputs
 * (./mlflow-datasets), logged models (./mlflow-logged-models), and the model registry (./mlflow-registry). MlflowClient has all of them.
 */
import { config as loadConfig, type Config } from '../config';
import { MlflowLoggedModelsClient } from './mlflow-logged-models';
import type { MlflowClientOptions } from './mlflow-registry';

export { MlflowError, isMlflowError } from './mlflow-registry';
export type { MlflowClientOptions, ModelVersion, ModelVersionStatus, RegisteredModel } from './mlflow-registry';
export type { Experiment, Run, RunInfo, RunStatus } from './mlflow-tracking';
export type { ArtifactFile } from './mlflow-artifacts';
export { datasetContextTag, type Dataset, type DatasetInput } from './mlflow-datasets';
export type { LoggedModel, LoggedModelStatus } from './mlflow-logged-models';
export { batchLimits, chunkBatch, type Metric } from './mlflow-batch';

/** The whole client: experiments and runs, artifacts, dataset inputs, logged models, and the model registry. */
export class MlflowClient extends MlflowLoggedModelsClient {}

/** A client for config().mlflow.trackingUri (MLFLOW_TRACKING_URI). */
export function createMlflowClient(cfg: Config = loadConfig(), opts: MlflowClientOptions = {}): MlflowClient {
  return new MlflowClient(cfg.mlflow.trackingUri, opts);
}
