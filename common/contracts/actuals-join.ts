/**
 * The actuals' join workflow (workflows/actuals-join.ts) and its one long-running activity, which
 * consumes topic `flight-delay-actuals` and joins each actual to the predictions of its flight
 * (activities/outcomes). Started under a fixed id by the scoring worker, like the stream.
 */
import type { Client } from '@temporalio/client';
import { taskQueues, workflowIds, workflowTypes } from '../names';

export interface ActualsJoinCounts {
  /** Messages read from the actuals topic. */
  consumed: number;
  /** Actuals stored for the first time (a flight's first report). */
  stored: number;
  /** Reports of a flight already stored (duplicates, corrections: the first report wins). */
  repeated: number;
  /** Outcomes written: predictions met by their flight's actual. */
  joined: number;
  /** Messages that were not an actual, sent to the dead-letter topic with the reason. */
  deadLettered: number;
  batches: number;
}

/** The running consumer's counters: its heartbeat details (the Temporal UI shows them under the pending activity). */
export interface ActualsJoinStats extends ActualsJoinCounts {
  /** The worker process (`pid@host`) that consumes now. */
  worker: string | null;
  lastBatchAt: string | null;
}

export const emptyActualsJoinStats = (): ActualsJoinStats => ({ consumed: 0, stored: 0, repeated: 0, joined: 0, deadLettered: 0, batches: 0, worker: null, lastBatchAt: null });

/** Tests give their own topic, collections and consumer group; the defaults come from common/names.ts and the config. */
export interface ActualsJoinInput {
  heartbeatTimeoutSeconds?: number;
}

export type ActualsJoinWorkflow = (input?: ActualsJoinInput) => Promise<ActualsJoinStats>;

/** Starts the actuals' join under its fixed id, or finds it running: safe to call at every start. Resolves with its run id. */
export async function ensureActualsJoinWorkflow(client: Client, options: { workflowId?: string; taskQueue?: string; input?: ActualsJoinInput } = {}): Promise<string> {
  const handle = await client.workflow.start<ActualsJoinWorkflow>(workflowTypes.actualsJoin, {
    workflowId: options.workflowId ?? workflowIds.actualsJoin,
    taskQueue: options.taskQueue ?? taskQueues.outcomes,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [options.input ?? {}],
  });
  return handle.firstExecutionRunId;
}
