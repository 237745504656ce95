import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { OutcomeActivities } from '../activities/outcomes';
import type { ActualsJoinInput, ActualsJoinStats, ActualsJoinWorkflow } from '../common/contracts/actuals-join';

/**
 * Runs the actuals' consumer for as long as the workflow lives: one activity, heartbeating its counters,
 * retried without end (a worker that dies hands it to another; it resumes from the committed offsets).
 * Cancel the workflow to stop it.
 */
export const joinFlightActuals: ActualsJoinWorkflow = async (input: ActualsJoinInput = {}): Promise<ActualsJoinStats> => {
  const { consumeActuals } = proxyActivities<OutcomeActivities>({
    startToCloseTimeout: '3650 days',
    heartbeatTimeout: `${input.heartbeatTimeoutSeconds ?? 60} seconds`,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  return consumeActuals(input);
};
