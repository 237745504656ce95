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
 * noticed within the heartbeat timeout and the step runs again on a worker with room (every step is
 * idempotent; a chunk's retry redoes that chunk only).
 */
const act = proxyActivities<BatchActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * A chunk heartbeats every 20,000 tasks and every 5,000 documents stored, so a worker that dies is
 * noticed within 30 s and its chunk goes to another worker 10 s later; five tries, 10 s apart and
 * doubling (2.5 minutes in all), ride out a service that is away for a minute or two.
 */
const chunks = proxyActivities<BatchActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

/**
 * The batch prediction of one date — the seed's Airflow DAG agile_data_science_batch_predictions_daily:
 * the day's tasks → staged in chunks on HDFS → the date prepared (its model fixed, its earlier results
 * cleared) → every chunk scored by whichever batch worker has room, each writing its parts of
 * results, Parquet and rejects to the date's HDFS folder and its results to MongoDB → the manifest and
 * _SUCCESS once every chunk is done. Run it with the workflow id batchWorkflowId(date): a second start
 * for the same date while one runs meets it.
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
  Object.assign(status, { stage: 'clearing the date', tasks: staged.tasks, chunks: staged.chunks } satisfies Partial<BatchStatus>);
  const afterStage = Date.now();

  const prepared = await act.prepareDate({ ...run, ...(input.modelVersion ? { modelVersion: input.modelVersion } : {}) });
  Object.assign(status, { stage: 'scoring chunks', chunksDone: 0, scored: 0, rejected: 0, loaded: 0 } satisfies Partial<BatchStatus>);
  const afterPrepare = Date.now();

  const scoredAt = new Date(afterPrepare).toISOString();
  const scored = await Promise.all(
    Array.from({ length: staged.chunks }, (_, chunk) =>
      chunks.scoreChunk({ ...run, chunk, lineOffset: chunk * staged.chunkSize, modelVersion: prepared.modelVersion, ...(prepared.challengerVersion ? { challengerVersion: prepared.challengerVersion } : {}), scoredAt }).then((done) => {
        status.chunksDone = (status.chunksDone ?? 0) + 1;
        status.scored = (status.scored ?? 0) + done.scored;
        status.rejected = (status.rejected ?? 0) + done.rejected;
        status.loaded = (status.loaded ?? 0) + done.loaded;
        status.chunksByWorker = { ...status.chunksByWorker, [done.worker]: (status.chunksByWorker?.[done.worker] ?? 0) + 1 };
        return done;
      }),
    ),
  );
  status.stage = 'finishing';
  const afterChunks = Date.now();

  const sum = (pick: (c: (typeof scored)[number]) => number): number => scored.reduce((a, c) => a + pick(c), 0);
  const classCounts: Record<string, number> = {};
  const chunksByWorker: Record<string, number> = {};
  for (const c of scored) {
    for (const [label, n] of Object.entries(c.classCounts)) classCounts[label] = (classCounts[label] ?? 0) + n;
    chunksByWorker[c.worker] = (chunksByWorker[c.worker] ?? 0) + 1;
  }
  const totals = { tasks: staged.tasks, scored: sum((c) => c.scored), rejected: sum((c) => c.rejected), loaded: sum((c) => c.loaded), chunks: staged.chunks, modelVersion: prepared.modelVersion, classCounts, scoredAt, startedAt: new Date(started).toISOString() };
  await act.finishDate({ ...run, totals });
  status.stage = 'done';
  const finished = Date.now();

  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  const result: BatchDateResult = {
    date,
    tasks: totals.tasks,
    scored: totals.scored,
    rejected: totals.rejected,
    loaded: totals.loaded,
    cleared: prepared.cleared,
    modelVersion: prepared.modelVersion,
    hdfsDir: staged.tasksDir.replace(/\/[^/]+$/, ''),
    classCounts,
    chunks: staged.chunks,
    chunksByWorker,
    seconds: {
      stage: seconds(afterStage - started),
      prepare: seconds(afterPrepare - afterStage),
      chunks: seconds(afterChunks - afterPrepare),
      finish: seconds(finished - afterChunks),
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
