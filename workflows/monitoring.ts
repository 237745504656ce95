import { proxyActivities } from '@temporalio/workflow';
import type { MonitoringActivities } from '../activities/monitoring';
import type { MonitorInput, MonitorSummary, MonitorWorkflow } from '../common/contracts/monitoring';

const { monitorOutcomes } = proxyActivities<MonitoringActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/** One monitoring run: the live metrics of the flight dates with new outcomes (or those asked for). */
export const monitorFlightDelayModels: MonitorWorkflow = async (input: MonitorInput = {}): Promise<MonitorSummary> => monitorOutcomes(input);
