import {
  ApplicationFailure,
  executeChild,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { BatchActivities } from '../activities/batch';
import {
  batchStatusQuery,
  batchWorkflowId,
  checkDate,
  dateInZone,
  parseTaskSource,
  type BatchDateResult,
  type BatchPredictionInput,
  type BatchPredictionWorkflow,
  type BatchStatus,
  type DailyBatchInput,
  type DailyBatchWorkflow,
} from '../common/contracts/batch';

/**
 * Three tries, a minute apart then two: a day's batch is not urgent, and a service that is down for a
 * minute or two should not fail it. Heartbeats come at least every 20,000 tasks; a worker that dies is
 * noticed within the heartbeat timeout and the step runs again elsewhere (every step is idempotent).
 */
const act = proxyActivities<BatchActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * The batch prediction of one date — the seed's Airflow DAG agile_data_science_batch_predictions_daily:
 * the day's tasks → tasks.jsonl → scored with the champion → results.jsonl + results.parquet in the
 * date's HDFS folder → MongoDB prediction_results (replacing the date's earlier results). Run it with
 * the workflow id batchWorkflowId(date): a second start for the same date while one runs meets it.
 */
export const predictFlightDelaysForDate: BatchPredictionWorkflow = async (input: BatchPredictionInput): Promise<BatchDateResult> => {
  let date: string;
  let source: ReturnType<typeof parseTaskSource>;
  try {
    date = checkDate(input?.date, 'date');
    source = parseTaskSource(input.source);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`invalid batch input: ${(err as Error).message}`, 'InvalidBatchInput');
  }
  const { workflowId, runId } = workflowInfo();
  const run = { date, workflowId, runId };
  const status: BatchStatus = { date, stage: 'staging tasks' };
  setHandler(batchStatusQuery, () => status);

  const started = Date.now();
  const staged = await act.stageDailyTasks({ ...run, source });
  Object.assign(status, { stage: 'scoring', tasks: staged.tasks } satisfies Partial<BatchStatus>);
  const afterStage = Date.now();

  const scored = await act.scoreDailyTasks({ ...run, tasksPath: staged.tasksPath, ...(input.modelVersion ? { modelVersion: input.modelVersion } : {}) });
  Object.assign(status, { stage: 'loading into MongoDB', scored: scored.scored, rejected: scored.rejected } satisfies Partial<BatchStatus>);
  const afterScore = Date.now();

  const loaded = await act.loadDailyResults({ ...run, resultsPath: scored.resultsPath });
  Object.assign(status, { stage: 'done', loaded: loaded.loaded } satisfies Partial<BatchStatus>);
  const finished = Date.now();

  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  const result: BatchDateResult = {
    date,
    tasks: staged.tasks,
    scored: scored.scored,
    rejected: scored.rejected,
    loaded: loaded.loaded,
    cleared: loaded.cleared,
    modelVersion: scored.modelVersion,
    hdfsDir: scored.resultsPath.replace(/\/[^/]+$/, ''),
    classCounts: scored.classCounts,
    seconds: {
      stage: seconds(afterStage - started),
      score: seconds(afterScore - afterStage),
      load: seconds(finished - afterScore),
      total: seconds(finished - started),
    },
  };
  log.info('batch prediction done', { ...result });
  return result;
};

const scheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

/**
 * What the daily schedule starts: works out its date (the scheduled day in the schedule's time zone,
 * plus offsetDays) and runs predictFlightDelaysForDate for it as a child with the date's workflow id,
 * so a scheduled run and a backfill of the same date never run side by side.
 */
export const predictFlightDelaysDaily: DailyBatchWorkflow = async (input: DailyBatchInput) => {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(scheduledStartTime) ?? new Date(info.runStartTime);
  const date = dateInZone(scheduled, input.timezone, input.offsetDays);
  try {
    return await executeChild(predictFlightDelaysForDate, {
      workflowId: batchWorkflowId(date),
      args: [{ date, ...(input.source ? { source: input.source } : {}) } satisfies BatchPredictionInput],
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      log.warn('the batch of this date is running already; leaving it to that run', { date, workflowId: batchWorkflowId(date) });
      return { date, alreadyRunning: true };
    }
    throw err;
  }
};
