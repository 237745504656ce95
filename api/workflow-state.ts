import { WorkflowNotFoundError, type Client, type QueryDefinition, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';

/** A query waits for a worker; with none polling the workflow's task queue it would hang, so it gets this long. */
const progressQueryMs = 2000;

export interface WorkflowState<P> {
  handle: WorkflowHandle;
  description: WorkflowExecutionDescription;
  /** RUNNING, COMPLETED, FAILED, … */
  status: string;
  /** The progress query's answer while the workflow runs; null once it is closed, or when no worker answered in time. */
  progress: P | null;
}

/** A workflow as Temporal describes it, with its progress while it runs (the training and batch status routes); null when there is none. */
export async function workflowState<P>(client: Client, workflowId: string, progressQuery: QueryDefinition<P>): Promise<WorkflowState<P> | null> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe().catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  });
  if (!description) return null;
  const status = description.status.name;
  const progress = status === 'RUNNING' ? await client.withDeadline(Date.now() + progressQueryMs, () => handle.query(progressQuery)).catch(() => null) : null;
  return { handle, description, status, progress };
}
