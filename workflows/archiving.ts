import { ApplicationFailure, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ArchivingActivities } from '../activities/archiving';
import {
  archivingStatusQuery,
  resolveArchivingInput,
  type ArchiveRealtimeResultsInput,
  type ArchiveRealtimeResultsSummary,
  type ArchivingStatus,
  type ArchivingWorkflow,
  type ResolvedArchivingInput,
} from '../common/contracts/archiving';

const dayMs = 86_400_000;

function archivingActivities(input: ResolvedArchivingInput): ArchivingActivities {
  return proxyActivities<ArchivingActivities>({
    // A chunk of 50,000 on a large FerretDB collection takes minutes (see delete-archived.ts).
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: `${input.heartbeatTimeoutSeconds} seconds`,
    retry: {
      initialInterval: `${input.retry.initialIntervalSeconds} seconds`,
      backoffCoefficient: 2,
      maximumInterval: '10 minutes',
      maximumAttempts: input.retry.maximumAttempts,
    },
  });
}

/**
 * Moves realtime results older than `olderThanDays` from MongoDB to HDFS Parquet when the collection
 * is over `sizeThresholdBytes`, chunk by chunk; nothing is deleted before it is verified on HDFS
 * (activities/archiving/index.ts tells how, and what a failure costs). The query `archivingStatus`
 * says where it is; the result sums it up. Run by the batch worker's schedule, or by hand.
 */
export const archiveRealtimeResults: ArchivingWorkflow = async (rawInput: ArchiveRealtimeResultsInput = {}): Promise<ArchiveRealtimeResultsSummary> => {
  let input: ResolvedArchivingInput;
  try {
    input = resolveArchivingInput(rawInput);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`invalid archiving input: ${(err as Error).message}`, 'InvalidArchivingInput');
  }
  const status: ArchivingStatus = { stage: 'measuring', thresholdBytes: input.sizeThresholdBytes, chunk: 0, archived: 0, files: 0 };
  setHandler(archivingStatusQuery, () => status);
  const act = archivingActivities(input);

  try {
    const size = await act.measureRealtimeResults();
    status.sizeBytesBefore = size.sizeBytes;
    const summary: ArchiveRealtimeResultsSummary = {
      collection: size.collection,
      sizeBytesBefore: size.sizeBytes,
      countBefore: size.count,
      thresholdBytes: input.sizeThresholdBytes,
      cutoff: null,
      archived: 0,
      chunks: 0,
      files: [],
      unfit: 0,
      recoveredChunks: 0,
    };
    if (input.sizeThresholdBytes > 0 && size.sizeBytes <= input.sizeThresholdBytes) {
      status.stage = 'skipped';
      summary.skipped = `${size.collection} holds ${size.sizeBytes} bytes, not over the threshold of ${input.sizeThresholdBytes}`;
      return summary;
    }

    // Workflow time: the same cutoff on every replay and for every chunk.
    const cutoff = new Date(Date.now() - input.olderThanDays * dayMs).toISOString();
    Object.assign(status, { stage: 'archiving', cutoff });
    summary.cutoff = cutoff;
    for (let chunk = 1; ; chunk++) {
      if (chunk > input.maxChunks) {
        summary.skipped = `stopped after maxChunks (${input.maxChunks}) chunks; the next run archives the rest`;
        break;
      }
      status.chunk = chunk;
      const result = await act.archiveRealtimeResultsChunk({
        chunk,
        cutoff,
        chunkSize: input.chunkSize,
        hdfsDir: input.hdfsDir,
        runId: workflowInfo().runId,
        archivedBefore: summary.archived,
      });
      summary.chunks = chunk;
      summary.archived += result.archived;
      summary.files.push(...result.files);
      summary.unfit += result.unfit.length;
      if (result.recovered) summary.recoveredChunks += 1;
      Object.assign(status, { archived: summary.archived, files: summary.files.length });
      if (!result.more) break;
    }
    if (summary.archived === 0 && !summary.skipped) summary.skipped = `no result that fits the archive was scored before ${cutoff}`;
    status.stage = 'done';
    return summary;
  } catch (err) {
    status.stage = 'failed';
    throw err;
  }
};
