import type { MlflowClient } from '../../common/clients/mlflow';
import type { Logger } from '../../common/logger';
import { activityLogger } from '../activity-log';
import type { ModelRegistry } from '../../common/model-registry';
import { evaluateModel } from './evaluate-model';
import { finishRun, logResults, startRun } from './mlflow-run';
import { notifyFailure } from './notify-failure';
import { WorkFolder } from './work-folder';
import type { WebHdfsClient } from '../../common/clients/webhdfs';
import { prepareFeatures } from './prepare-features';
import { promoteModel, registerModel } from './registry';
import { trainForest } from './train-forest';
import { TrainingMetrics } from './training-metrics';
import type { MlflowNames } from './mlflow-names';
import { runTrial } from './run-trial';
import { saving } from './saving';
import { TrialFolder } from './trial-folder';
import { finishTuningRun, startTuningRun } from './tuning-run';
import type { FailureNotice, FinishTuningInput, PrepareInput, PromoteInput, StartRunInput, StartTuningRunInput, TrainInput, TrainResult, TrialInput } from './types';

export interface TrainingDeps {
  mlflow: MlflowClient;
  /** MLFLOW_EXPERIMENT and MLFLOW_REGISTERED_MODEL. */
  names: MlflowNames;
  /** The registered models (MLflow), cached on this machine. */
  models: ModelRegistry;
  hdfs: WebHdfsClient;
  /** The HDFS folder (TRAINING_HDFS_DIR) under which the activities of one workflow hand files to each other. */
  workDir: string;
  failureWebhookUrl: string | undefined;
  log: Logger;
}

/** The training workflow's activities, bound to their clients. */
export function createTrainingActivities(deps: TrainingDeps, metrics: TrainingMetrics = TrainingMetrics.unserved()) {
  const { mlflow, names, models, hdfs, workDir, failureWebhookUrl, log } = deps;
  // A tuning's best trial is registered and promoted from its own folder, which reads the shared features beside it.
  const folder = (dir: string) => TrialFolder.at(hdfs, dir);
  return {
    startRun: (input: StartRunInput) => metrics.stage('startRun', () => startRun(mlflow, names, input)),
    prepareFeatures: (input: PrepareInput) => metrics.stage('prepareFeatures', () => prepareFeatures((workflowId) => WorkFolder.forWorkflow(hdfs, workDir, workflowId), input)),
    trainForest: (input: TrainInput) => metrics.stage('trainForest', () => trainForest(folder(input.dir), input)),
    evaluateModel: (input: { dir: string; trained: TrainResult }) => metrics.stage('evaluateModel', () => saving(() => evaluateModel(folder(input.dir), input))),
    logResults: (input: { runId: string; dir: string }) => metrics.stage('logResults', () => saving(() => logResults(mlflow, folder(input.dir), input))),
    registerModel: (input: { runId: string; dir: string }) => metrics.stage('registerModel', () => saving(() => registerModel(models, folder(input.dir), input))),
    promoteModel: (input: PromoteInput) => metrics.stage('promoteModel', () => saving(() => promoteModel(mlflow, models, folder(input.dir), activityLogger(log), input))),
    finishRun: (input: Parameters<typeof finishRun>[2]) => metrics.stage('finishRun', () => finishRun(mlflow, input.dir ? folder(input.dir) : undefined, input)),
    // The tuning workflow's own: its parent run, its trials (each a child run running the steps above).
    startTuningRun: (input: StartTuningRunInput) => metrics.stage('startTuningRun', () => startTuningRun(mlflow, names, input)),
    runTrial: (input: TrialInput) => metrics.stage('runTrial', () => runTrial(mlflow, hdfs, input)),
    finishTuningRun: (input: FinishTuningInput) => metrics.stage('finishTuningRun', () => finishTuningRun(mlflow, hdfs, input)),
    notifyFailure: (notice: FailureNotice) => notifyFailure(activityLogger(log), failureWebhookUrl, notice),
  };
}

export type TrainingActivities = ReturnType<typeof createTrainingActivities>;
export type * from './types';
