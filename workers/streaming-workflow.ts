import type { Client } from '@temporalio/client';
import { taskQueues, workflowIds, workflowTypes } from '../common/names';

/**
 * Starts the streaming workflow under its fixed id, or finds it running: safe to call at every start.
 * Resolves with the run id of the execution that runs now.
 */
export async function ensureStreamingWorkflow(client: Client, options: { workflowId?: string; taskQueue?: string } = {}): Promise<string> {
  const handle = await client.workflow.start(workflowTypes.streaming, {
    workflowId: options.workflowId ?? workflowIds.streaming,
    taskQueue: options.taskQueue ?? taskQueues.scoring,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [],
  });
  return handle.firstExecutionRunId;
}
