import { Context } from '@temporalio/activity';
import type { BatchActivities, ScoreChunkInput } from '../../../activities/batch';
import { config } from '../../../common/config';
import { batchWorkflowId, dateInZone, startBatchRuns } from '../../../common/contracts/batch';
import { delayClassLabels } from '../../../models/features/delay-classes';
import { batchSchedule, upsertSchedule } from '../../../workers/schedules';
import { waitFor } from '../wait-for';
import { standIn, type HistoryCase, type Recording, type RecordedRun } from './recording';

const chunkSize = 50_000;

/**
 * Stand-ins for the batch activities: the real interface and result shapes of a date of 120,000 tasks
 * in three chunks, without HDFS, MongoDB or a model. `staging` holds stageDailyTasks until it resolves.
 */
function standInBatch(options: { tasks?: number; staging?: Promise<void> } = {}): BatchActivities {
  const tasks = options.tasks ?? 120_000;
  return {
    stageDailyTasks: async (run) => {
      if (options.staging) await options.staging;
      return { tasksDir: `/flight-delay/batch/${run.date}/tasks`, tasks, chunks: Math.ceil(tasks / chunkSize), chunkSize, otherDates: 0 };
    },
    prepareDate: standIn((input: { modelVersion?: string }) => ({ modelVersion: input.modelVersion ?? '3', cleared: 0 })),
    scoreChunk: standIn((input: ScoreChunkInput) => {
      const scored = Math.min(chunkSize, tasks - input.lineOffset) - 2;
      const counts = [0.12, 0.38, 0.33, 0.17].map((share) => Math.floor(scored * share));
      counts[1]! += scored - counts.reduce((a, b) => a + b, 0);
      Context.current().heartbeat({ chunk: input.chunk, scored });
      return {
        chunk: input.chunk,
        scored,
        rejected: 2,
        loaded: scored,
        classCounts: Object.fromEntries(delayClassLabels.map((label, i) => [label, counts[i]!])),
        worker: `${process.pid}@replay-recorder`,
      };
    }),
    finishDate: standIn(() => undefined),
  };
}

/** The scheduled run as the batch worker sets it up, triggered now; resolves with the id of the run it started. */
async function triggerDailySchedule(rec: Recording, taskQueue: string): Promise<string> {
  const def = batchSchedule(config(), { taskQueue, scheduleId: rec.workflowId('flight-delay-batch-daily') });
  await upsertSchedule(rec.client, def);
  const schedule = rec.client.schedule.getHandle(def.scheduleId);
  await schedule.pause('recording: started by trigger only');
  await schedule.trigger();
  const workflowId = await waitFor(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId, 20_000, 'the schedule to start its run');
  await rec.client.workflow.getHandle(workflowId).result();
  await schedule.delete();
  return workflowId;
}

/** The date the daily schedule predicts when it runs now. */
const scheduledDate = (): string => dateInZone(new Date(), config().batch.timezone, config().batch.dateOffsetDays);

export const batchCases: HistoryCase[] = [
  {
    name: 'batch: one date in three chunks',
    async record(rec): Promise<RecordedRun[]> {
      return rec.withWorker(standInBatch(), async (taskQueue) => {
        const [run] = await startBatchRuns(rec.client, ['2013-06-14'], { taskQueue });
        await rec.client.workflow.getHandle(run!.workflowId).result();
        return [{ file: 'batch-date-three-chunks', workflowId: run!.workflowId, runId: run!.runId }];
      });
    },
  },
  {
    name: 'batch: the daily schedule runs its date as a child',
    async record(rec) {
      return rec.withWorker(standInBatch({ tasks: 30_000 }), async (taskQueue) => {
        const daily = await triggerDailySchedule(rec, taskQueue);
        const child = await rec.client.workflow.getHandle(batchWorkflowId(scheduledDate())).describe();
        return [
          { file: 'batch-daily-scheduled', workflowId: daily },
          { file: 'batch-date-one-chunk', workflowId: child.workflowId, runId: child.runId },
        ];
      });
    },
  },
  {
    name: 'batch: the daily schedule meets its date running already',
    async record(rec) {
      let release = (): void => undefined;
      const staging = new Promise<void>((resolve) => (release = resolve));
      return rec.withWorker(standInBatch({ tasks: 30_000, staging }), async (taskQueue) => {
        const [running] = await startBatchRuns(rec.client, [scheduledDate()], { taskQueue });
        const daily = await triggerDailySchedule(rec, taskQueue);
        release();
        await rec.client.workflow.getHandle(running!.workflowId).result();
        return [{ file: 'batch-daily-already-running', workflowId: daily }];
      });
    },
  },
];
