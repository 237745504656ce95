/**
 * Starting batch predictions for dates: one workflow per date with the date's own id, so that a
 * backfill that meets a run of the same date (scheduled, or a second backfill) joins it instead of
 * racing it. Used by `npm run batch` and POST /api/batch-predictions.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { batchWorkflowId, taskQueues, workflowTypes } from './names';
import type { BatchPredictionInput } from '../workflows/batch-input';

export interface BatchRun {
  date: string;
  workflowId: string;
  runId: string;
  /** false: a run of this date was in progress already, and this is it. */
  started: boolean;
}

export async function startBatchRuns(
  client: Client,
  dates: readonly string[],
  options: Omit<BatchPredictionInput, 'date'> & { taskQueue?: string } = {},
): Promise<BatchRun[]> {
  const { taskQueue = taskQueues.batch, ...rest } = options;
  const runs: BatchRun[] = [];
  for (const date of dates) {
    const workflowId = batchWorkflowId(date);
    const input: BatchPredictionInput = { date, ...rest };
    try {
      const handle = await client.workflow.start(workflowTypes.batchPrediction, { taskQueue, workflowId, args: [input] });
      runs.push({ date, workflowId, runId: handle.firstExecutionRunId, started: true });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const description = await client.workflow.getHandle(workflowId).describe();
      runs.push({ date, workflowId, runId: description.runId, started: false });
    }
  }
  return runs;
}
