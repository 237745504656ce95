import type { MlflowClient } from '../../common/clients/mlflow';
import type { Logger } from '../../common/logger';
import type { ModelRegistry } from '../../common/model-registry';
import { evaluateModel } from './evaluate-model';
import { finishRun, logResults, startRun } from './mlflow-run';
import { notifyFailure } from './notify-failure';
import { prepareFeatures } from './prepare-features';
import { promoteModel, registerModel } from './registry';
import { trainForest } from './train-forest';
import type { MlflowNames } from './mlflow-names';
import type { FailureNotice, PrepareInput, PromoteInput, StartRunInput, TrainInput, TrainResult } from './types';

export interface TrainingDeps {
  mlflow: MlflowClient;
  /** MLFLOW_EXPERIMENT and MLFLOW_REGISTERED_MODEL. */
  names: MlflowNames;
  /** The registered models (MLflow), cached on this machine. */
  models: ModelRegistry;
  /** Where the activities of one workflow hand files to each other. */
  workDir: string;
  failureWebhookUrl: string | undefined;
  log: Logger;
}

/** The training workflow's activities, bound to their clients. */
export function createTrainingActivities(deps: TrainingDeps) {
  const { mlflow, names, models, workDir, failureWebhookUrl, log } = deps;
  return {
    startRun: (input: StartRunInput) => startRun(mlflow, names, input),
    prepareFeatures: (input: PrepareInput) => prepareFeatures(workDir, input),
    trainForest: (input: TrainInput) => trainForest(input),
    evaluateModel: (input: { dir: string; trained: TrainResult }) => Promise.resolve(evaluateModel(input)),
    logResults: (input: { runId: string; dir: string }) => logResults(mlflow, input),
    registerModel: (input: { runId: string; dir: string }) => registerModel(models, input),
    promoteModel: (input: PromoteInput) => promoteModel(mlflow, models, log, input),
    finishRun: (input: Parameters<typeof finishRun>[1]) => finishRun(mlflow, input),
    notifyFailure: (notice: FailureNotice) => notifyFailure(log, failureWebhookUrl, notice),
  };
}

export type TrainingActivities = ReturnType<typeof createTrainingActivities>;
export type * from './types';
