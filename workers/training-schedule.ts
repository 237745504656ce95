import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import { taskQueues, workflowIds, workflowTypes } from '../common/names';
import type { TrainFlightDelayModelInput } from '../workflows/training-input';

/** Creates the training schedule, or updates it when it exists. Training has no schedule by default. */
export async function upsertTrainingSchedule(client: Client, cron: string, timezone: string, input: TrainFlightDelayModelInput): Promise<string> {
  const spec = { cronExpressions: [cron], timezone };
  const action = { type: 'startWorkflow' as const, workflowType: workflowTypes.training, taskQueue: taskQueues.training, args: [input] };
  try {
    await client.schedule.create({ scheduleId: workflowIds.trainingSchedule, spec, action });
    return `Created schedule ${workflowIds.trainingSchedule}: "${cron}" (${timezone})`;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(workflowIds.trainingSchedule).update((previous) => ({ ...previous, spec, action }));
    return `Updated schedule ${workflowIds.trainingSchedule}: "${cron}" (${timezone})`;
  }
}

export async function removeTrainingSchedule(client: Client): Promise<string> {
  try {
    await client.schedule.getHandle(workflowIds.trainingSchedule).delete();
    return `Deleted schedule ${workflowIds.trainingSchedule}`;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return `No schedule ${workflowIds.trainingSchedule} to delete`;
    throw err;
  }
}
