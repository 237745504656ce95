/**
 * The contract of the streaming workflow `streamFlightDelayPredictions`: its fixed id, the state it
 * carries across continue-as-new, its signals (pause, resume, reload the model, stats from the
 * activity) and queries (stats for people, control for the activity), and the helper that starts it or
 * joins the running one. The workflow, its activity, the API, the training workflow (which signals a
 * reload) and the tests import this file.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Client } from '@temporalio/client';
import { taskQueues, workflowIds, workflowTypes } from '../names';

/** What the scoring activity reports to its workflow, and the workflow's stats query answers. */
export interface StreamStats {
  consumed: number;
  scored: number;
  deadLettered: number;
  batches: number;
  /** Messages behind the end of the request topic, summed over partitions, as of each partition's last batch. */
  consumerLag: number;
  /** Scored requests per second over the last reporting interval. */
  throughputPerSecond: number;
  modelVersion: string | null;
  lastBatchAt: string | null;
  /** Messages scored and handed to the sinks, not yet accepted by all of them. */
  inFlight: number;
  /** Which attempt of the scoring activity reports (1 = never retried; a crashed worker or a failure adds one). */
  activityAttempt: number;
}

/** What the workflow wants the activity to do: read by the activity through the workflow's control query. */
export interface StreamControl {
  paused: boolean;
  /** A version the activity should load from the model store; null: the champion. */
  modelVersion: string | null;
  /** Increases with every reload signal, so the same version can be reloaded on purpose. */
  reloadGeneration: number;
}

/** What one run of the workflow hands the next when it continues as new. */
export interface StreamState {
  control: StreamControl;
  stats: StreamStats | null;
  restarts: number;
}

/** The workflow's signature, which the implementation satisfies and the helper starts by name. */
export type StreamingWorkflow = (state?: StreamState) => Promise<void>;

export const emptyStats = (): StreamStats => ({
  consumed: 0,
  scored: 0,
  deadLettered: 0,
  batches: 0,
  consumerLag: 0,
  throughputPerSecond: 0,
  modelVersion: null,
  lastBatchAt: null,
  inFlight: 0,
  activityAttempt: 0,
});

/** Sent by the training workflow when it promotes a champion (and by the API's promotion): scoring reloads it without a restart. */
export const reloadModelSignal = defineSignal<[{ version: string }]>('reloadModel');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const streamStatsQuery = defineQuery<StreamStats & { paused: boolean; restarts: number }>('stats');

/** Between the workflow and its scoring activity. */
export const streamControlQuery = defineQuery<StreamControl>('streamControl');
export const streamStatsSignal = defineSignal<[StreamStats]>('streamStats');

/**
 * Starts the streaming workflow under its fixed id, or finds it running: safe to call at every start.
 * Resolves with the run id of the execution that runs now.
 */
export async function ensureStreamingWorkflow(client: Client, options: { workflowId?: string; taskQueue?: string } = {}): Promise<string> {
  const handle = await client.workflow.start<StreamingWorkflow>(workflowTypes.streaming, {
    workflowId: options.workflowId ?? workflowIds.streaming,
    taskQueue: options.taskQueue ?? taskQueues.scoring,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [],
  });
  return handle.firstExecutionRunId;
}
