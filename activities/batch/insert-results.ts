import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { duplicateKeyPositions } from '../../common/clients/mongo';
import type { BatchResultDocument } from '../../common/prediction/result';

const insertBatch = 5_000;

/**
 * Inserts result documents, `insertBatch` a command and `insertsInFlight` commands at a time (a
 * document whose _id is there already — a retried chunk's — is replaced); `onProgress` gets the count
 * stored so far. The batch's own write path, which `npm run bench:store` measures too.
 */
export async function insertResults(
  collection: Collection<BatchResultDocument>,
  docs: readonly BatchResultDocument[],
  onProgress: (loaded: number) => void = () => undefined,
  insertsInFlight = 2,
): Promise<number> {
  let loaded = 0;
  let next = 0;
  const worker = async () => {
    while (next < docs.length) {
      const batch = docs.slice(next, next + insertBatch);
      next += batch.length;
      await insertOrReplace(collection, batch);
      loaded += batch.length;
      onProgress(loaded);
    }
  };
  await Promise.all(Array.from({ length: insertsInFlight }, worker));
  return loaded;
}

/** Inserts the batch; documents whose _id is there already are replaced. */
async function insertOrReplace(collection: Collection<BatchResultDocument>, batch: BatchResultDocument[]): Promise<void> {
  try {
    await collection.insertMany(batch, { ordered: false });
  } catch (err) {
    const existing = duplicateKeyPositions(err);
    if (!existing) throw err;
    const replacements: AnyBulkWriteOperation<BatchResultDocument>[] = existing.map((at) => {
      const doc = batch[at]!;
      return { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } };
    });
    await collection.bulkWrite(replacements, { ordered: false });
  }
}
