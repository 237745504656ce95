import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, patched, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { MonitoringActivities } from '../activities/monitoring';
import type { MonitorInput, MonitorResult, MonitorWorkflow } from '../common/contracts/monitoring';
import type { TrainingWorkflow } from '../common/contracts/training';
import { workflowTypes } from '../common/names';
import { tellScoringToReload } from './scoring-reload';

const { monitorOutcomes, reviewEvidence, recordRetraining } = proxyActivities<MonitoringActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/**
 * One monitoring run: the live metrics of the flight dates with new outcomes (or those asked for), then
 * what they call for — a shadow challenger promoted on live evidence, a retraining of the champion started
 * as a child workflow (abandoned when this run ends: it runs to its end; at most one at a time, under a
 * fixed workflow id).
 */
export const monitorFlightDelayModels: MonitorWorkflow = async (input: MonitorInput = {}): Promise<MonitorResult> => {
  const summary = await monitorOutcomes(input);
  // Runs recorded before the review existed ended here.
  // Nothing new, nothing to weigh (the same evidence would start the same retraining every interval).
  if (input.review === false || summary.windows === 0 || !patched('monitor-review-evidence')) return summary;
  const review = await reviewEvidence({ at: workflowInfo().runStartTime.toISOString() });
  if (review.promotion?.promote) await tellScoringToReload(review.promotion.challenger);
  const start = review.retraining?.start;
  if (start) {
    try {
      const child = await startChild<TrainingWorkflow>(workflowTypes.training, {
        workflowId: start.workflowId,
        taskQueue: start.taskQueue,
        args: [start.input],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      await recordRetraining({ eventId: start.eventId, runId: child.firstExecutionRunId });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      await recordRetraining({ eventId: start.eventId, alreadyRunning: true });
    }
  }
  return { ...summary, ...review };
};
