import { Context } from '@temporalio/activity';
import type { ArchiveChunkInput, ArchivingActivities } from '../../../activities/archiving';
import { startArchiving, type ArchiveRealtimeResultsInput } from '../../../common/contracts/archiving';
import { mongoNames } from '../../../common/names';
import { standIn, type HistoryCase, type Recording, type RecordedRun } from './recording';

/**
 * Stand-ins for the archiving activities: the real interface and result shapes of a collection of
 * 310 MB whose old results fill `chunks` chunks, the last one part-full — without MongoDB or HDFS.
 * The first attempt of chunk 2 fails after its files were verified; the retry finishes its deletes.
 */
function standInArchiving(chunks: number, chunkSize: number): ArchivingActivities {
  return {
    measureRealtimeResults: standIn(() => ({ collection: mongoNames.realtimeResults, sizeBytes: 310 * 1024 * 1024, count: 652_000 })),
    archiveRealtimeResultsChunk: standIn((input: ArchiveChunkInput) => {
      const { attempt } = Context.current().info;
      if (input.chunk === 2 && attempt === 1) throw new Error('WebHDFS DELETE: connect ECONNREFUSED 127.0.0.1:9870 (stand-in)');
      const last = input.chunk === chunks;
      const archived = last ? Math.floor(chunkSize / 3) : chunkSize;
      const dates = ['2013-06-14', '2013-06-15'];
      return {
        archived,
        files: dates.map((flightDate, i) => ({
          path: `${input.hdfsDir}/${mongoNames.realtimeResults}/FlightDate=${flightDate}/part-${input.runId}-c${String(input.chunk).padStart(5, '0')}-a${attempt}.parquet`,
          flightDate,
          rows: i === 0 ? Math.ceil(archived / 2) : Math.floor(archived / 2),
          bytes: 41_000 * Math.ceil(archived / 1000),
        })),
        unfit: last ? [{ id: 'not-a-uuid', problem: 'UUID: expected a UUID string' }] : [],
        more: !last,
        recovered: input.chunk === 2,
      };
    }),
  };
}

async function archive(rec: Recording, file: string, input: ArchiveRealtimeResultsInput, chunks: number): Promise<RecordedRun[]> {
  return rec.withWorker(standInArchiving(chunks, input.chunkSize ?? 50_000), async (taskQueue) => {
    const handle = await startArchiving(rec.client, input, { workflowId: rec.workflowId('archive'), taskQueue });
    await handle.result();
    return [{ file, workflowId: handle.workflowId, runId: handle.firstExecutionRunId }];
  });
}

export const archivingCases: HistoryCase[] = [
  {
    name: 'archiving: three chunks, one retried',
    record: (rec) => archive(rec, 'archiving-three-chunks', { sizeThresholdBytes: 300 * 1024 * 1024, chunkSize: 20_000, retry: { initialIntervalSeconds: 1 } }, 3),
  },
  {
    name: 'archiving: under the threshold, skipped',
    record: (rec) => archive(rec, 'archiving-skipped', { sizeThresholdBytes: 400 * 1024 * 1024 }, 0),
  },
  {
    name: 'archiving: stopped by maxChunks',
    record: (rec) => archive(rec, 'archiving-max-chunks', { sizeThresholdBytes: 0, chunkSize: 10_000, maxChunks: 2, retry: { initialIntervalSeconds: 1 } }, 5),
  },
];
