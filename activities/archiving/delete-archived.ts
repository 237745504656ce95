import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { StoredResult } from './select-chunk';

/**
 * Deletes per bulk write (one heartbeat each). Each delete is `{_id: <one id>}`, the only filter
 * FerretDB 1.24 hands to SQLite: with the stack's `_id` index fix (infra/services/ferretdb-patch.ts) it
 * is an index lookup. Measured on FerretDB 1.24.2 with that fix, 2 cores, 100,000 documents: 0.45 ms
 * a delete, whatever the collection's size. The alternative, `deleteMany({_id: {$in: slice}})`, is
 * never pushed down: each call scans the whole collection and walks the list for every document —
 * 2.6 ms a delete there in slices of 5,000 (106 s for 50,000 in slices of 10,000), growing with the
 * collection. Without the fix every `{_id}` delete scans the table too (37 ms each at 20,000
 * documents). MongoDB answers both from its `_id` index.
 */
export const defaultDeleteBatchSize = 1_000;

/** The ids, each once, cut into batches of `size`. */
export function deleteBatches(ids: readonly string[], size: number): string[][] {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`delete batch size must be a positive integer, got ${size}`);
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += size) batches.push(unique.slice(i, i + size));
  return batches;
}

/** One delete of exactly one `_id` per id; nothing else in the filter, or FerretDB would scan. */
export const deleteOperations = (batch: readonly string[]): AnyBulkWriteOperation<StoredResult>[] =>
  batch.map((id) => ({ deleteOne: { filter: { _id: id } } }));

/**
 * Deletes exactly `ids` (already verified in the archive), batch by batch; after each batch
 * `onProgress` gets the count deleted so far. Returns how many documents were deleted: fewer than the
 * ids when some were gone already (an earlier attempt deleted them).
 */
export async function deleteArchived(
  coll: Collection<StoredResult>,
  ids: readonly string[],
  batchSize: number,
  onProgress: (deleted: number) => void,
): Promise<number> {
  let deleted = 0;
  for (const batch of deleteBatches(ids, batchSize)) {
    deleted += (await coll.bulkWrite(deleteOperations(batch), { ordered: false })).deletedCount;
    onProgress(deleted);
  }
  return deleted;
}
