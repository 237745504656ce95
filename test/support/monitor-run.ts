import { randomUUID } from 'node:crypto';
import type { MonitorResult, MonitorWorkflow } from '../../common/contracts/monitoring';
import { workflowTypes } from '../../common/names';
import type { OutcomesWorker } from '../../workers/outcomes-worker';

/** An ArrDelay (minutes) in each of the four classes. */
export const delayOfClass = [-30, -5, 10, 60];

/** Runs the monitoring workflow once on `dates` on the outcomes worker's queue. */
export async function monitor(outcomes: OutcomesWorker, taskQueue: string, dates: string[]): Promise<MonitorResult> {
  return outcomes.temporal.client.workflow.execute<MonitorWorkflow>(workflowTypes.monitoring, { taskQueue, workflowId: `test-monitor-${randomUUID().slice(0, 8)}`, args: [{ dates }] });
}
