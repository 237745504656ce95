import {
  ApplicationFailure,
  CancellationScope,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { TrainingActivities } from '../activities/training';
import {
  resolveTrainingInput,
  trainingStatusQuery,
  type ResolvedTrainingInput,
  type TrainFlightDelayModelInput,
  type TrainFlightDelayModelResult,
  type TrainingStatus,
  type TrainingWorkflow,
} from '../common/contracts/training';
import { tellScoringToReload } from './scoring-reload';
import { rootCauseMessage } from '../common/root-cause';

/** The activities that do the work: the DAG's retry policy (given by the input), long timeouts, heartbeats. */
function workActivities(input: ResolvedTrainingInput): TrainingActivities {
  const options: ActivityOptions = {
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: `${input.heartbeatTimeoutSeconds} seconds`,
    retry: {
      initialInterval: `${input.retry.initialIntervalSeconds} seconds`,
      backoffCoefficient: 1,
      maximumAttempts: input.retry.maximumAttempts,
    },
  };
  return proxyActivities<TrainingActivities>(options);
}

/** Clean-up after a failure: quick, a few tries, never blocking the failure from being reported. */
const cleanup = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * Trains, evaluates, tracks and registers a flight-delay model: the seed's Airflow DAG
 * `agile_data_science_batch_prediction_model_training` as a Temporal workflow. Started by hand (Temporal
 * UI, `temporal workflow start`, `npm run train`, the API) or by an optional schedule.
 */
export const trainFlightDelayModel: TrainingWorkflow = async (rawInput: TrainFlightDelayModelInput = {}): Promise<TrainFlightDelayModelResult> => {
  let input: ResolvedTrainingInput;
  try {
    input = resolveTrainingInput(rawInput);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`invalid training input: ${(err as Error).message}`, 'InvalidTrainingInput');
  }
  const { workflowId, runId: workflowRunId } = workflowInfo();
  const status: TrainingStatus = { stage: 'starting' };
  setHandler(trainingStatusQuery, () => status);
  const act = workActivities(input);

  try {
    const run = await act.startRun({
      workflowId,
      workflowRunId,
      runName: `${input.dataset} ${workflowId}`,
      dataset: input.dataset,
      featureSet: input.featureSet,
      testFraction: input.testFraction,
      splitSeed: input.splitSeed,
      split: input.split,
      cutDate: input.cutDate,
      from: input.from,
      through: input.through,
      reason: input.reason,
      limit: input.limit,
      estimator: input.estimator,
      forest: input.forest,
      boosted: input.boosted,
    });
    Object.assign(status, { mlflowRunId: run.runId, mlflowRunUrl: run.url });

    status.stage = 'preparing features';
    const prepared = await act.prepareFeatures({
      workflowId,
      dataset: input.dataset,
      featureSet: input.featureSet,
      testFraction: input.testFraction,
      splitSeed: input.splitSeed,
      split: input.split,
      cutDate: input.cutDate,
      ...(input.from !== undefined ? { from: input.from } : {}),
      ...(input.through !== undefined ? { through: input.through } : {}),
      limit: input.limit,
    });
    status.stage = 'training';
    const trained = await act.trainForest({ dir: prepared.dir, estimator: input.estimator, forest: input.forest, boosted: input.boosted });
    status.stage = 'evaluating';
    const evaluation = await act.evaluateModel({ dir: prepared.dir, trained });
    status.accuracy = evaluation.accuracy;
    status.stage = 'logging to MLflow';
    await act.logResults({ runId: run.runId, dir: prepared.dir });
    status.stage = 'registering';
    const { version } = await act.registerModel({ runId: run.runId, dir: prepared.dir });
    status.version = version;
    status.stage = 'promoting';
    const promotion = await act.promoteModel({ runId: run.runId, version, dir: prepared.dir, policy: input.promote });
    if (promotion.promoted) await tellScoringToReload(version);
    await act.finishRun({ runId: run.runId, status: 'FINISHED', dir: prepared.dir });
    status.stage = 'done';
    return {
      mlflowRunId: run.runId,
      mlflowRunUrl: run.url,
      version,
      promoted: promotion.promoted,
      promotionReason: promotion.reason,
      championVersion: promotion.championVersion,
      accuracy: evaluation.accuracy,
      weightedF1: evaluation.weightedF1,
      baselineAccuracy: evaluation.baselineAccuracy,
      logLoss: evaluation.logLoss,
      trainRows: prepared.trainRows,
      testRows: prepared.testRows,
      features: prepared.features,
    };
  } catch (err) {
    status.stage = 'failed';
    const message = rootCauseMessage(err);
    // Even a cancelled workflow marks its run FAILED and sends its notice.
    await CancellationScope.nonCancellable(async () => {
      if (status.mlflowRunId) {
        await cleanup.finishRun({ runId: status.mlflowRunId, status: 'FAILED', note: message }).catch((e: unknown) => {
          log.warn('could not mark the MLflow run FAILED', { error: rootCauseMessage(e) });
        });
      }
      await cleanup.notifyFailure({ workflowId, mlflowRunId: status.mlflowRunId, message }).catch((e: unknown) => {
        log.warn('could not send the failure notice', { error: rootCauseMessage(e) });
      });
    });
    throw err;
  }
};
