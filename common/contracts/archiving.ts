/**
 * The contract of the archiving workflow `archiveRealtimeResults`: its input and the input's
 * validation, its summary, its status query, the files it reports, and the helper that starts a run
 * by hand (the batch worker's schedule starts it every ARCHIVE_INTERVAL_MINUTES). The workflow, its
 * activities, the schedule and the tests import this file.
 */
import { defineQuery } from '@temporalio/workflow';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { taskQueues, workflowTypes } from '../names';

/** One Parquet file written, read back and verified. */
export interface ArchivedFile {
  path: string;
  flightDate: string;
  rows: number;
  bytes: number;
}

/** What archiveRealtimeResults takes (every field optional). The batch worker's schedule passes ARCHIVE_* from config. */
export interface ArchiveRealtimeResultsInput {
  /** Archive only when the collection's size (collStats `size`) is over this; 0: always. Default 300 MB (ARCHIVE_SIZE_THRESHOLD_MB). */
  sizeThresholdBytes?: number;
  /** Results scored more than this many days before the workflow started are archived. Default 3. */
  olderThanDays?: number;
  /** Results per chunk (one select, one set of files, one round of deletes). Default 50,000. */
  chunkSize?: number;
  /** Archive root on HDFS (absolute). Default /flight-delay/archive (ARCHIVE_HDFS_DIR). */
  hdfsDir?: string;
  /** A bound on one run's work (and history); the next run goes on where it stopped. Default 200. */
  maxChunks?: number;
  /** Retries of a failed chunk: first after initialIntervalSeconds (10), doubling, maximumAttempts (5) in all. */
  retry?: { initialIntervalSeconds?: number; maximumAttempts?: number };
  /** How long a chunk may go without a heartbeat before Temporal retries it elsewhere; default 60 s. */
  heartbeatTimeoutSeconds?: number;
}

export interface ResolvedArchivingInput {
  sizeThresholdBytes: number;
  olderThanDays: number;
  chunkSize: number;
  hdfsDir: string;
  maxChunks: number;
  retry: { initialIntervalSeconds: number; maximumAttempts: number };
  heartbeatTimeoutSeconds: number;
}

export interface ArchiveRealtimeResultsSummary {
  collection: string;
  sizeBytesBefore: number;
  countBefore: number;
  thresholdBytes: number;
  /** Results scored before this ISO time were archived; null when the run was skipped before choosing one. */
  cutoff: string | null;
  /** Results deleted from MongoDB, each in a verified archive file. */
  archived: number;
  chunks: number;
  files: ArchivedFile[];
  /** Selected results that did not fit the archive and stayed in MongoDB (counted per chunk that met them). */
  unfit: number;
  /** Chunks that finished the deletes of a failed attempt from its verified files. */
  recoveredChunks: number;
  /** Why nothing (or not everything) was archived; undefined when the run archived all it found. */
  skipped?: string;
}

export interface ArchivingStatus {
  stage: 'measuring' | 'archiving' | 'done' | 'skipped' | 'failed';
  sizeBytesBefore?: number;
  thresholdBytes: number;
  cutoff?: string;
  /** The chunk being archived (or the last one). */
  chunk: number;
  archived: number;
  files: number;
}
export const archivingStatusQuery = defineQuery<ArchivingStatus>('archivingStatus');

export const archivingDefaults = {
  sizeThresholdBytes: 300 * 1024 * 1024,
  olderThanDays: 3,
  chunkSize: 50_000,
  hdfsDir: '/flight-delay/archive',
  maxChunks: 200,
  retry: { initialIntervalSeconds: 10, maximumAttempts: 5 },
  heartbeatTimeoutSeconds: 60,
} as const satisfies ResolvedArchivingInput;

/** Fills in the defaults; throws a RangeError naming the first field that is wrong. */
export function resolveArchivingInput(input: ArchiveRealtimeResultsInput = {}): ResolvedArchivingInput {
  const d = archivingDefaults;
  const resolved: ResolvedArchivingInput = {
    sizeThresholdBytes: input.sizeThresholdBytes ?? d.sizeThresholdBytes,
    olderThanDays: input.olderThanDays ?? d.olderThanDays,
    chunkSize: input.chunkSize ?? d.chunkSize,
    hdfsDir: input.hdfsDir ?? d.hdfsDir,
    maxChunks: input.maxChunks ?? d.maxChunks,
    retry: { ...d.retry, ...input.retry },
    heartbeatTimeoutSeconds: input.heartbeatTimeoutSeconds ?? d.heartbeatTimeoutSeconds,
  };
  const bad = (field: string, why: string, value: unknown): never => {
    throw new RangeError(`${field} ${why}, got ${JSON.stringify(value)}`);
  };
  const { sizeThresholdBytes, olderThanDays, chunkSize, hdfsDir, maxChunks, retry, heartbeatTimeoutSeconds } = resolved;
  if (!(typeof sizeThresholdBytes === 'number' && sizeThresholdBytes >= 0 && Number.isFinite(sizeThresholdBytes))) {
    bad('sizeThresholdBytes', 'must be a number of bytes ≥ 0 (0: always archive)', sizeThresholdBytes);
  }
  if (!(typeof olderThanDays === 'number' && olderThanDays >= 0 && Number.isFinite(olderThanDays))) bad('olderThanDays', 'must be a number ≥ 0', olderThanDays);
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1 && chunkSize <= 500_000)) bad('chunkSize', 'must be an integer from 1 to 500000', chunkSize);
  if (!(typeof hdfsDir === 'string' && /^\/[^\0]*$/.test(hdfsDir))) bad('hdfsDir', 'must be an absolute HDFS path such as /flight-delay/archive', hdfsDir);
  if (!(Number.isInteger(maxChunks) && maxChunks >= 1)) bad('maxChunks', 'must be an integer ≥ 1', maxChunks);
  if (!(typeof retry.initialIntervalSeconds === 'number' && retry.initialIntervalSeconds > 0)) {
    bad('retry.initialIntervalSeconds', 'must be positive', retry.initialIntervalSeconds);
  }
  if (!(Number.isInteger(retry.maximumAttempts) && retry.maximumAttempts >= 1)) bad('retry.maximumAttempts', 'must be an integer ≥ 1', retry.maximumAttempts);
  if (!(typeof heartbeatTimeoutSeconds === 'number' && heartbeatTimeoutSeconds >= 10)) {
    bad('heartbeatTimeoutSeconds', 'must be at least 10 (the activity heartbeats every 5 s)', heartbeatTimeoutSeconds);
  }
  return resolved;
}

/** The workflow's signature, which the implementation satisfies and the helper starts by name. */
export type ArchivingWorkflow = (input?: ArchiveRealtimeResultsInput) => Promise<ArchiveRealtimeResultsSummary>;

/** `archive-<UTC time>`: a run started by hand (the schedule's runs carry the schedule's id). */
export const archivingWorkflowId = (at: Date = new Date()): string => `archive-${at.toISOString().replace(/[:.]/g, '-')}`;

/** Starts an archiving run by hand; the handle follows it (its status query, its summary). */
export async function startArchiving(
  client: Client,
  input: ArchiveRealtimeResultsInput = {},
  options: { workflowId?: string; taskQueue?: string } = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<ArchivingWorkflow>> {
  return client.workflow.start<ArchivingWorkflow>(workflowTypes.archiving, {
    taskQueue: options.taskQueue ?? taskQueues.batch,
    workflowId: options.workflowId ?? archivingWorkflowId(),
    args: [input],
  });
}
