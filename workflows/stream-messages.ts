import { defineQuery, defineSignal } from '@temporalio/workflow';

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

/**
 * The messages between the streaming workflow and its scoring activity. Definitions only (no I/O), so
 * the workflow and the activity share them.
 */
export const streamControlQuery = defineQuery<StreamControl>('streamControl');
export const streamStatsSignal = defineSignal<[StreamStats]>('streamStats');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const streamStatsQuery = defineQuery<StreamStats & { paused: boolean; restarts: number }>('stats');
