import type { Collection } from 'mongodb';
import type { PredictionResult } from '../../common/prediction/result';
import { resultProblem } from '../../common/prediction/parquet-schema';

/** A realtime result as MongoDB holds it: the mongo sink makes `_id` the UUID (partitionChunk checks it). */
export type StoredResult = PredictionResult & { _id: string };

/** A selected document that cannot go into the archive: it stays in MongoDB. */
export interface UnfitResult {
  id: string;
  problem: string;
}

/**
 * Up to `limit` results scored before `cutoff`. One query per chunk: FerretDB answers a filter on
 * anything but `_id` by scanning the collection, so the chunk is selected once and everything after
 * that goes by `_id`. No sort: FerretDB sorts in memory, which took 33 s for 50,000 results.
 */
export function selectOldResults(coll: Collection<StoredResult>, cutoff: string, limit: number): Promise<StoredResult[]> {
  return coll.find({ ScoredAt: { $lt: cutoff } }).limit(limit).toArray();
}

/**
 * Splits a chunk into one group per FlightDate (one Parquet file each, as FlightDate is the partition
 * folder) and the documents that do not fit the archive: an `_id` that is not a string (not written by
 * the mongo sink), or a field the Parquet schema refuses (resultProblem, the check the stream's Parquet
 * sink applies). Groups keep the chunk's order.
 */
export function partitionChunk(docs: readonly StoredResult[]): { byDate: Map<string, StoredResult[]>; unfit: UnfitResult[] } {
  const byDate = new Map<string, StoredResult[]>();
  const unfit: UnfitResult[] = [];
  for (const doc of docs) {
    const id: unknown = doc._id;
    if (typeof id !== 'string') {
      unfit.push({ id: String(id), problem: `_id: expected the UUID string the mongo sink writes, got ${JSON.stringify(id)}` });
      continue;
    }
    const problem = resultProblem(doc);
    if (problem) {
      unfit.push({ id, problem });
      continue;
    }
    const group = byDate.get(doc.FlightDate);
    if (group) group.push(doc);
    else byDate.set(doc.FlightDate, [doc]);
  }
  return { byDate, unfit };
}
