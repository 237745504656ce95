import { Context } from '@temporalio/activity';
import type { OutcomeActivities } from '../../../activities/outcomes';
import { emptyActualsJoinStats, ensureActualsJoinWorkflow } from '../../../common/contracts/actuals-join';
import { standIn, type HistoryCase } from './recording';
import type { MonitoringActivities } from '../../../activities/monitoring';
import type { MonitorWorkflow } from '../../../common/contracts/monitoring';
import { workflowTypes } from '../../../common/names';

/** A stand-in monitor: two dates, three windows. */
const standInMonitoring: MonitoringActivities = {
  monitorOutcomes: standIn(() => ({ dates: ['2013-11-01', '2013-11-02'], windows: 3, outcomes: 1700, elapsedMs: 840 })),
  reviewEvidence: standIn(() => ({})),
  recordRetraining: standIn(() => undefined),
};

/** A stand-in consumer of actuals: the first attempt loses Kafka, the second consumes and returns when it ends. */
const standInOutcomes: OutcomeActivities = {
  consumeActuals: standIn(() => {
    if (Context.current().info.attempt === 1) throw new Error('the Kafka consumer stopped: Connection error: connect ECONNREFUSED 127.0.0.1:9092 (stand-in)');
    return { ...emptyActualsJoinStats(), consumed: 1200, stored: 1000, repeated: 190, joined: 1850, deadLettered: 10, batches: 4, worker: '4242@stand-in', lastBatchAt: '2026-11-30T03:00:00.000Z' };
  }),
};

export const outcomesCases: HistoryCase[] = [
  {
    name: 'actuals join: the consumer retried once, then ended',
    record: (rec) =>
      rec.withWorker(standInOutcomes, async (taskQueue) => {
        const workflowId = rec.workflowId('actuals-join');
        await ensureActualsJoinWorkflow(rec.client, { workflowId, taskQueue });
        await rec.client.workflow.getHandle(workflowId).result();
        return [{ file: 'actuals-join-retried', workflowId }];
      }),
  },
  {
    name: 'monitoring: one run over the dates with new outcomes',
    record: (rec) =>
      rec.withWorker(standInMonitoring, async (taskQueue) => {
        const workflowId = rec.workflowId('monitoring');
        await rec.client.workflow.execute<MonitorWorkflow>(workflowTypes.monitoring, { workflowId, taskQueue, args: [{}] });
        return [{ file: 'monitoring-run', workflowId }];
      }),
  },
];
