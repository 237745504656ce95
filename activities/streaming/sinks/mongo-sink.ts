import type { Collection, Db } from 'mongodb';
import { duplicateKeyPositions } from '../../../common/clients/mongo';
import { mongoNames } from '../../../common/names';
import type { PredictionResult } from '../../../common/prediction/result';
import type { ResultSink } from './sink';

/** Creates the realtime results collection's unique index on UUID (idempotent). */
export async function ensureResultIndexes(db: Db, collection: string = mongoNames.realtimeResults): Promise<void> {
  await db.collection(collection).createIndex({ UUID: 1 }, { unique: true, name: 'UUID_unique' });
}

/**
 * MongoDB `flight_delay_ml_response`: one document per request UUID. An unordered insert with the
 * unique index on UUID: a replayed batch (after a crash, before its offsets were committed) inserts
 * what is missing and meets "duplicate key" for the rest, which means "already stored" — exactly one
 * document per UUID. (Upserts by UUID were the first design: on FerretDB they slow down as the
 * collection grows, from about 200/s to under 10/s at a few hundred documents, and hang past ~100 per
 * bulk write.)
 */
export function mongoSink(db: Db, collection: string = mongoNames.realtimeResults): ResultSink {
  const coll: Collection<PredictionResult> = db.collection<PredictionResult>(collection);
  return {
    name: 'mongodb',
    async accept(results) {
      if (results.length === 0) return;
      try {
        // _id is the UUID: lookups by id use the primary key, which FerretDB answers from its index
        // (a filter on another field scans the collection there). Copies: the driver would add _id.
        await coll.insertMany(results.map((r) => ({ _id: r.UUID, ...r }) as PredictionResult), { ordered: false });
      } catch (err) {
        if (duplicateKeyPositions(err)) return;
        throw err;
      }
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
