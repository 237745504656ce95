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

/**
 * A stand-in monitor whose review promotes a challenger and calls for a retraining: the workflow signals the
 * stream and starts the training as a child (on a queue with no worker: it is left waiting, abandoned).
 */
const reviewingMonitor = (retrainingWorkflowId: string): MonitoringActivities => ({
  ...standInMonitoring,
  reviewEvidence: standIn(() => ({
    promotion: {
      champion: '3', challenger: '4', windows: 2, championOutcomes: 2400, challengerOutcomes: 2400, championAccuracy: 0.44, challengerAccuracy: 0.49, promote: true,
      reason: 'live evidence: v4 49.0 % against champion v3 44.0 % on the same 2400 live outcomes (2 windows), better by 5.0 points (at least 2.0 needed)',
    },
    retraining: {
      evidence: { championVersion: '4', dates: ['2013-11-01', '2013-11-02'], outcomes: 1700, liveAccuracy: 0.41, heldOutAccuracy: 0.52, drifted: [], reasons: ['live accuracy 41.0 % … (stand-in)'] },
      start: { eventId: 'stand-in:retraining', workflowId: retrainingWorkflowId, taskQueue: `${retrainingWorkflowId}-no-worker`, input: { split: 'time' as const, through: '2013-11-02', cutDate: '2013-11-01', promote: 'if-better' as const, reason: 'stand-in' } },
    },
  })),
});

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
  {
    name: 'monitoring: a review that promotes a challenger and starts a retraining',
    record: (rec) => {
      const retrainingId = rec.workflowId('retraining');
      return rec.withWorker(reviewingMonitor(retrainingId), async (taskQueue) => {
        const workflowId = rec.workflowId('monitoring-review');
        await rec.client.workflow.execute<MonitorWorkflow>(workflowTypes.monitoring, { workflowId, taskQueue, args: [{}] });
        await rec.client.workflow.getHandle(retrainingId).terminate('recorded').catch(() => undefined);
        return [{ file: 'monitoring-review-retraining', workflowId }];
      });
    },
  },
];
