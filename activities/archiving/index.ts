/**
 * Archiving of the realtime results: MongoDB `flight_delay_ml_response` → HDFS Parquet. The seed
 * system moved records older than a few days to HDFS once the collection passed 300 MB; here the
 * workflow archiveRealtimeResults (workflows/archiving.ts), run on a schedule by the batch worker,
 * measures the collection (measureRealtimeResults) and, when it is over the threshold, calls
 * archiveRealtimeResultsChunk until no result scored before the cutoff is left.
 *
 * One chunk (archive-chunk.ts):
 * 1. select up to `chunkSize` results with ScoredAt < cutoff — one query, because FerretDB scans the
 *    whole collection for any filter that is not on `_id`;
 * 2. per FlightDate, one Parquet file (resultsToParquet, the stream sink's schema; FlightDate is the
 *    folder, not a column): `<hdfsDir>/<collection>/FlightDate=<date>/part-<runId>-c<chunk>-a<attempt>.parquet`,
 *    written under a hidden `.…parquet.tmp` name, read back (bytes, then hyparquet: row count and the
 *    exact UUID set), renamed to its final name, and listed in the heartbeat;
 * 3. only then delete exactly the verified `_id`s: one `deleteOne({_id})` each, in bulk writes of 1,000
 *    (delete-archived.ts says why, and what each way costs on FerretDB).
 *
 * What a failure costs — nothing is deleted that is not in a verified file, so nothing is lost:
 * - before or while writing: the results are still in MongoDB and the retry archives them again; a
 *   half-written file is only ever a hidden .tmp, which readers skip (a retry of the same chunk that
 *   writes to that folder removes it).
 * - between the verified write and the deletes, or midway through the deletes: the retry (Temporal
 *   runs it: the workflow's retry policy) finds the verified files in the last heartbeat's details,
 *   reads each back from HDFS and deletes its UUIDs (deleting an id already gone is a no-op), so no
 *   second copy is written. Temporal always delivers the last heartbeat of an attempt that failed with
 *   an error. When a worker dies outright (SIGKILL, power), the last details may not have left it: then
 *   the retry selects those results again and archives them into a file of its own, and the archive
 *   holds them twice. That is the price of the rule: **a retry may archive a result twice, it never
 *   loses one.** Readers that need one row per UUID deduplicate by UUID.
 * - no file is ever overwritten: names carry the workflow run, the chunk and the activity attempt, the
 *   upload refuses an existing file, and the rename refuses an existing target.
 * - a result that does not fit the Parquet schema (or whose `_id` is not its UUID string) is reported
 *   and stays in MongoDB.
 */
import { withActivityLog } from '../activity-log';
import { measureCollection } from './measure';
import { archiveChunk, type ArchivingDeps } from './archive-chunk';
import { mongoNames } from '../../common/names';
import type { ArchiveChunkInput } from './types';

/** The archiving workflow's activities, bound to their clients. */
export function createArchivingActivities(deps: ArchivingDeps) {
  const collection = deps.collection ?? mongoNames.realtimeResults;
  return {
    measureRealtimeResults: () => measureCollection(deps.db, collection),
    archiveRealtimeResultsChunk: (input: ArchiveChunkInput) => archiveChunk(withActivityLog(deps), input),
  };
}

export type ArchivingActivities = ReturnType<typeof createArchivingActivities>;
export type { ArchivingDeps } from './archive-chunk';
export type * from './types';
