import type { Collection, Db } from 'mongodb';
import { mongoNames } from '../../../common/names';
import type { PredictionResult } from '../result';
import type { ResultSink } from './sink';

/** Creates the realtime results collection's unique index on UUID (idempotent). */
export async function ensureResultIndexes(db: Db, collection: string = mongoNames.realtimeResults): Promise<void> {
  await db.collection(collection).createIndex({ UUID: 1 }, { unique: true, name: 'UUID_unique' });
}

/**
 * FerretDB 1.24 stops answering a bulk write of some 100+ upserts that match existing documents (a
 * replayed batch): upserts go in chunks this size.
 */
const upsertChunk = 50;

/**
 * MongoDB `flight_delay_ml_response`: one document per request UUID. Inserts are upserts keyed by UUID
 * that only set fields on insert, so a replayed batch (after a crash, before its offsets were committed)
 * adds no duplicate and does not rewrite what is there.
 */
export function mongoSink(db: Db, collection: string = mongoNames.realtimeResults): ResultSink {
  const coll: Collection<PredictionResult> = db.collection<PredictionResult>(collection);
  return {
    name: 'mongodb',
    async accept(results) {
      for (let i = 0; i < results.length; i += upsertChunk) {
        await coll.bulkWrite(
          results.slice(i, i + upsertChunk).map((r) => ({ updateOne: { filter: { UUID: r.UUID }, update: { $setOnInsert: r }, upsert: true } })),
          { ordered: false },
        );
      }
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
