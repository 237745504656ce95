/**
 * The contract of the streaming workflow `streamFlightDelayPredictions`: its fixed id, the state it
 * carries across continue-as-new, its signals (pause, resume, reload the model, scale, stats from each
 * consumer activity) and queries (stats for people, control for the activities), and the helper that starts it or
 * joins the running one. The workflow, its activity, the API, the training workflow (which signals a
 * reload) and the tests import this file.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Client } from '@temporalio/client';
import { taskQueues, workflowIds, workflowTypes } from '../names';

/** The counters a consumer adds to as it stores batches. */
export interface StreamCounts {
  consumed: number;
  scored: number;
  deadLettered: number;
  batches: number;
}

/**
 * What one consume-and-score activity — one Kafka consumer of the group, on one worker — reports to
 * its workflow (every few seconds, and at once when it starts).
 */
export interface ConsumerStats extends StreamCounts {
  /** The Temporal activity id (`consumer-<slot>.<n>`): the workflow's key for this consumer. */
  activityId: string;
  /** The consumer's place among the wanted ones, 0 … consumers − 1. */
  slot: number;
  /** The worker process running it (its Temporal identity, `pid@host`); null until it reports. */
  worker: string | null;
  /** Partitions of the request topic assigned to it at the last rebalance. */
  partitions: number[];
  /** Messages behind the end of each of its partitions, as of that partition's last batch. */
  lagByPartition: Record<string, number>;
  /** Summed over its partitions. */
  consumerLag: number;
  /** Scored requests per second over the last reporting interval. */
  throughputPerSecond: number;
  modelVersion: string | null;
  lastBatchAt: string | null;
  /** Messages scored and handed to the sinks, not yet accepted by all of them. */
  inFlight: number;
  /** Which attempt of the activity reports (1 = never retried; a crashed worker or a failure adds one). */
  activityAttempt: number;
  /** Partitions of the request topic: the most consumers that can share the work. */
  topicPartitions: number | null;
  reportedAt: string | null;
}

/** How many consumers were asked for, how many run, and why the two differ. */
export interface StreamScale {
  /** Asked for by STREAM_CONSUMERS at the first start, then by the `scale` signal. */
  requested: number;
  /** Activities scheduled: at most the request topic's partitions. */
  scheduled: number;
  /** Of those, consumers that reported from a worker (the rest wait for a worker with room). */
  running: number;
  topicPartitions: number | null;
  note: string | null;
}

/** The stats query's answer: the totals over every consumer, then each consumer. */
export interface StreamStats extends StreamCounts {
  /** Messages behind the end of the request topic: each partition's lag from its latest report, summed. */
  consumerLag: number;
  /** Summed over the running consumers. */
  throughputPerSecond: number;
  /** The model of the latest report (each consumer says its own below; they differ only during a reload). */
  modelVersion: string | null;
  lastBatchAt: string | null;
  inFlight: number;
  paused: boolean;
  /** Consumer activities that ended and were started again. */
  restarts: number;
  scale: StreamScale;
  consumers: ConsumerStats[];
}

/** What the workflow wants the activities to do: read by each activity through the workflow's control query. */
export interface StreamControl {
  paused: boolean;
  /** A version the activity should load from the model registry; null: the champion. */
  modelVersion: string | null;
  /** Increases with every reload signal, so the same version can be reloaded on purpose. */
  reloadGeneration: number;
}

/** The workflow's input: at the first start only `consumers`; on continue-as-new, what one run hands the next. */
export interface StreamState {
  /** Consumers wanted; default 1. */
  consumers?: number;
  control?: StreamControl;
  /** Counts of consumers that have ended (in this run or before). */
  retired?: StreamCounts;
  /** The request topic's partitions as last reported: how many consumers can share it. */
  topicPartitions?: number | null;
  restarts?: number;
}

/** The scoring activity's input. */
export interface ConsumerInput {
  slot: number;
}

/** The workflow's signature, which the implementation satisfies and the helper starts by name. */
export type StreamingWorkflow = (state?: StreamState) => Promise<void>;

export const emptyCounts = (): StreamCounts => ({ consumed: 0, scored: 0, deadLettered: 0, batches: 0 });

export const emptyConsumerStats = (activityId: string, slot: number): ConsumerStats => ({
  ...emptyCounts(),
  activityId,
  slot,
  worker: null,
  partitions: [],
  lagByPartition: {},
  consumerLag: 0,
  throughputPerSecond: 0,
  modelVersion: null,
  lastBatchAt: null,
  inFlight: 0,
  activityAttempt: 0,
  topicPartitions: null,
  reportedAt: null,
});

/** Adds `b`'s counters to `a`. */
export function addCounts(a: StreamCounts, b: StreamCounts): StreamCounts {
  return { consumed: a.consumed + b.consumed, scored: a.scored + b.scored, deadLettered: a.deadLettered + b.deadLettered, batches: a.batches + b.batches };
}

/**
 * The totals of the stats query: counters of the retired consumers plus the live ones'; each
 * partition's lag from the latest report that holds it.
 */
export function streamTotals(retired: StreamCounts, consumers: readonly ConsumerStats[]): Omit<StreamStats, 'paused' | 'restarts' | 'scale' | 'consumers'> {
  const counts = consumers.reduce<StreamCounts>((sum, c) => addCounts(sum, c), retired);
  const latest = [...consumers].filter((c) => c.reportedAt !== null).sort((a, b) => (a.reportedAt! < b.reportedAt! ? -1 : 1));
  const lag = new Map<string, number>();
  for (const c of latest) for (const p of c.partitions) if (c.lagByPartition[p] !== undefined) lag.set(String(p), c.lagByPartition[p]);
  const lastBatchAt = consumers.map((c) => c.lastBatchAt).filter((t): t is string => t !== null).sort().pop() ?? null;
  return {
    ...counts,
    consumerLag: [...lag.values()].reduce((a, b) => a + b, 0),
    throughputPerSecond: consumers.reduce((sum, c) => sum + c.throughputPerSecond, 0),
    modelVersion: latest[latest.length - 1]?.modelVersion ?? null,
    lastBatchAt,
    inFlight: consumers.reduce((sum, c) => sum + c.inFlight, 0),
  };
}

/** Sent by the training workflow when it promotes a champion (and by the API's promotion): scoring reloads it without a restart. */
export const reloadModelSignal = defineSignal<[{ version: string }]>('reloadModel');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const streamStatsQuery = defineQuery<StreamStats>('stats');
/** How many consumers should share the request topic (1 … its partitions); more than the partitions runs as many as there are. */
export const scaleSignal = defineSignal<[{ consumers: number }]>('scale');

/** Between the workflow and its scoring activity. */
export const streamControlQuery = defineQuery<StreamControl>('streamControl');
export const streamStatsSignal = defineSignal<[ConsumerStats]>('streamStats');

/**
 * The shape of the streaming workflow's history. A running stream started by code of another shape
 * cannot be replayed by this code (Temporal would stall it with a non-determinism error), so a worker
 * of this version replaces it: the stream keeps no state that matters (offsets are in Kafka), only
 * its counters start again. 2: several consumer activities with ids `consumer-<slot>.<n>` (scale-out).
 */
export const streamContractVersion = 2;

/**
 * Starts the streaming workflow under its fixed id, or finds it running: safe to call at every start.
 * A running one of another contract version (memo `streamContract`) is terminated and started again.
 * Resolves with the run id of the execution that runs now.
 */
export async function ensureStreamingWorkflow(client: Client, options: { workflowId?: string; taskQueue?: string; consumers?: number } = {}): Promise<string> {
  const start = () =>
    client.workflow.start<StreamingWorkflow>(workflowTypes.streaming, {
      workflowId: options.workflowId ?? workflowIds.streaming,
      taskQueue: options.taskQueue ?? taskQueues.scoring,
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { streamContract: streamContractVersion },
      // Only a new workflow takes it: a running one keeps its count, which the scale signal changes.
      args: [{ consumers: options.consumers ?? 1 }],
    });
  const handle = await start();
  const running = await handle.describe();
  if (running.memo?.streamContract === streamContractVersion) return handle.firstExecutionRunId;
  await handle.terminate(`replaced by a streaming workflow of contract version ${streamContractVersion} (an upgrade: offsets are in Kafka, only the counters start again)`).catch(() => undefined);
  return (await start()).firstExecutionRunId;
}
