import { MongoServerError, type Db } from 'mongodb';
import type { CollectionSize } from './types';

const namespaceNotFound = 26;

/**
 * The collection's size from the collStats command: `size`, the bytes of its documents. FerretDB 1.24
 * reports the same figure as `size` and `storageSize` (and 0 for a collection that does not exist);
 * MongoDB's `size` is the uncompressed data size, the measure the seed system's 300 MB rule meant.
 * A MongoDB that does not know the collection answers NamespaceNotFound: that is 0 bytes too.
 */
export async function measureCollection(db: Db, collection: string): Promise<CollectionSize> {
  try {
    const stats = await db.command({ collStats: collection });
    return { collection, sizeBytes: Number(stats.size ?? 0), count: Number(stats.count ?? 0) };
  } catch (err) {
    if (err instanceof MongoServerError && err.code === namespaceNotFound) return { collection, sizeBytes: 0, count: 0 };
    throw err;
  }
}
