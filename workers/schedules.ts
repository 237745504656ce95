/**
 * The Temporal Schedules of the deployment, created or updated idempotently: training (optional, by
 * `npm run train -- --schedule`), the daily batch prediction and the archiving of realtime results
 * (both by the batch worker at start). An update keeps the schedule's state, so a schedule paused in
 * the Temporal UI stays paused when a worker restarts.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from '../common/config';
import { taskQueues, workflowIds, workflowTypes } from '../common/names';
import type { ArchiveRealtimeResultsInput } from '../common/contracts/archiving';
import type { DailyBatchInput } from '../common/contracts/batch';
import type { TrainFlightDelayModelInput } from '../common/contracts/training';
import type { MonitorInput } from '../common/contracts/monitoring';

interface ScheduleDefinition {
  scheduleId: string;
  spec: ScheduleSpec;
  action: ScheduleOptionsAction;
  /** Shown in the Temporal UI. */
  note: string;
}

/** Creates the schedule, or updates its spec, action and policies when it exists; says which. */
export async function upsertSchedule(client: Client, def: ScheduleDefinition): Promise<string> {
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' } as const;
  const what = `schedule ${def.scheduleId} (${describeSpec(def.spec)})`;
  try {
    await client.schedule.create({ scheduleId: def.scheduleId, spec: def.spec, action: def.action, policies, state: { note: def.note } });
    return `Created ${what}`;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(def.scheduleId).update((previous) => ({ ...previous, spec: def.spec, action: def.action, policies }));
    return `Updated ${what}`;
  }
}

export async function removeSchedule(client: Client, scheduleId: string): Promise<string> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return `Deleted schedule ${scheduleId}`;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return `No schedule ${scheduleId} to delete`;
    throw err;
  }
}

function describeSpec(spec: ScheduleSpec): string {
  const cron = spec.cronExpressions?.join(', ');
  const every = spec.intervals?.map((i) => `every ${String(i.every)}`).join(', ');
  return [cron && `"${cron}"`, every, spec.timezone].filter(Boolean).join(' ');
}

/** Training has no schedule by default; `npm run train -- --schedule CRON` makes one. */
export const trainingSchedule = (cron: string, timezone: string, input: TrainFlightDelayModelInput): ScheduleDefinition => ({
  scheduleId: workflowIds.trainingSchedule,
  spec: { cronExpressions: [cron], timezone },
  action: { type: 'startWorkflow', workflowType: workflowTypes.training, taskQueue: taskQueues.training, args: [input] },
  note: 'Trains, evaluates and registers a flight-delay model (npm run train -- --schedule).',
});

/** The daily batch prediction at BATCH_SCHEDULE_TIME in BATCH_SCHEDULE_TIMEZONE (tests give their own id and queue). */
export function batchSchedule(
  cfg: Pick<Config, 'batch'>,
  { taskQueue = taskQueues.batch, scheduleId = workflowIds.batchSchedule }: { taskQueue?: string; scheduleId?: string } = {},
): ScheduleDefinition {
  const [hour, minute] = cfg.batch.scheduleTime.split(':').map(Number);
  const input: DailyBatchInput = { timezone: cfg.batch.timezone, offsetDays: cfg.batch.dateOffsetDays };
  return {
    scheduleId,
    spec: { cronExpressions: [`${minute} ${hour} * * *`], timezone: cfg.batch.timezone },
    action: { type: 'startWorkflow', workflowType: workflowTypes.scheduledBatchPrediction, taskQueue, args: [input], workflowId: scheduleId },
    note: `Daily batch prediction of prediction_tasks for ${offsetText(cfg.batch.dateOffsetDays)}; set by the batch worker from BATCH_SCHEDULE_* and BATCH_DATE_OFFSET_DAYS.`,
  };
}

/** The archiving of realtime results, every ARCHIVE_INTERVAL_MINUTES: it moves results only when the collection is over ARCHIVE_SIZE_THRESHOLD_MB. */
export function archivingSchedule(
  cfg: Pick<Config, 'archive'>,
  { taskQueue = taskQueues.batch, scheduleId = workflowIds.archivingSchedule }: { taskQueue?: string; scheduleId?: string } = {},
): ScheduleDefinition {
  const input: ArchiveRealtimeResultsInput = {
    sizeThresholdBytes: cfg.archive.sizeThresholdBytes,
    olderThanDays: cfg.archive.olderThanDays,
    hdfsDir: cfg.archive.hdfsDir,
  };
  return {
    scheduleId,
    spec: { intervals: [{ every: `${cfg.archive.intervalMinutes} minutes` }] },
    action: { type: 'startWorkflow', workflowType: workflowTypes.archiving, taskQueue, args: [input], workflowId: scheduleId },
    note: 'Moves realtime results older than ARCHIVE_OLDER_THAN_DAYS to HDFS Parquet once flight_delay_ml_response passes ARCHIVE_SIZE_THRESHOLD_MB; set by the batch worker.',
  };
}

const offsetText = (days: number): string =>
  days === 0 ? 'the day of the run' : `${Math.abs(days)} day(s) ${days < 0 ? 'before' : 'after'} the day of the run`;

/** The monitoring run every MONITOR_INTERVAL_MINUTES (tests give their own id and queue). */
export function monitoringSchedule(
  cfg: Pick<Config, 'actuals'>,
  { taskQueue = taskQueues.outcomes, scheduleId = workflowIds.monitoringSchedule }: { taskQueue?: string; scheduleId?: string } = {},
): ScheduleDefinition {
  const input: MonitorInput = {};
  return {
    scheduleId,
    spec: { intervals: [{ every: `${cfg.actuals.monitorIntervalMinutes} minutes` }] },
    action: { type: 'startWorkflow', workflowType: workflowTypes.monitoring, taskQueue, args: [input], workflowId: scheduleId },
    note: `Live accuracy of each model version from the outcomes joined since the previous run (model_monitoring); set by the outcomes worker from MONITOR_INTERVAL_MINUTES.`,
  };
}
