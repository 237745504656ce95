/**
 * The lookup tables of the feature sets with lookups in MongoDB — `weather_hourly`, `planes`,
 * `flight_schedule` — holding exactly the rows training reads from data/nycflights13 (data/lookup-tables.ts).
 * `npm start` seeds them (reference-data.ts); the scorers read them into memory once
 * (loadFlightLookups), like origin_dest_distances, so scoring never waits on the database.
 */
import type { Db } from 'mongodb';
import { loadLookupTables } from '../../data/lookup-tables';
import { FlightLookups, scheduleKey, weatherKey, type PlaneRow, type ScheduleRow, type WeatherRow } from '../../models/features/lookups';
import { insertNew } from '../clients/mongo';
import { mongoNames } from '../names';

export interface LookupCollectionNames {
  weather: string;
  planes: string;
  schedule: string;
}

export const defaultLookupCollections: LookupCollectionNames = { weather: mongoNames.weather, planes: mongoNames.planes, schedule: mongoNames.schedule };

export type LookupTableCounts = Record<keyof LookupCollectionNames, { total: number; added: number }>;

/** The documents of each collection: the committed rows with their key as _id. */
export function lookupDocuments(tables = loadLookupTables()): {
  weather: (WeatherRow & { _id: string })[];
  planes: (PlaneRow & { _id: string })[];
  schedule: (ScheduleRow & { _id: string })[];
} {
  return {
    weather: tables.weather.map((w) => ({ _id: weatherKey(w.Origin, w.Date, w.Hour), ...w })),
    planes: tables.planes.map((p) => ({ _id: p.TailNum, ...p })),
    schedule: tables.schedule.map((s) => ({ _id: scheduleKey(s.Carrier, s.FlightNum, s.Origin), ...s })),
  };
}

/**
 * Adds what is missing of each table (idempotent: a collection holding at least the committed number of
 * documents is left alone). The schedule's documents are large (a year of days each): 200 per insert.
 */
export async function seedLookupTables(db: Db, names: LookupCollectionNames = defaultLookupCollections): Promise<LookupTableCounts> {
  const docs = lookupDocuments();
  const seed = async (name: string, rows: { _id: string }[], batchSize: number): Promise<{ total: number; added: number }> => {
    const coll = db.collection<{ _id: string }>(name);
    if ((await coll.estimatedDocumentCount()) >= rows.length) return { total: rows.length, added: 0 };
    return { total: rows.length, added: await insertNew(coll, rows, batchSize) };
  };
  return {
    weather: await seed(names.weather, docs.weather, 1000),
    planes: await seed(names.planes, docs.planes, 1000),
    schedule: await seed(names.schedule, docs.schedule, 200),
  };
}

export interface LoadFlightLookupsOptions {
  names?: LookupCollectionNames;
  /** Told the counts when a collection was empty and got seeded from the committed files. */
  onSeeded?: (counts: LookupTableCounts) => void;
}

/**
 * The one builder of the scorers' lookups (stream, batch): reads the three collections into memory,
 * seeding them first when one is empty (as loadDistanceResolver seeds origin_dest_distances).
 */
export async function loadFlightLookups(db: Db, options: LoadFlightLookupsOptions = {}): Promise<FlightLookups> {
  const names = options.names ?? defaultLookupCollections;
  const counts = await Promise.all([names.weather, names.planes, names.schedule].map((n) => db.collection(n).estimatedDocumentCount()));
  if (counts.some((c) => c === 0)) options.onSeeded?.(await seedLookupTables(db, names));
  const read = async <T>(name: string): Promise<T[]> => (await db.collection(name).find({}, { projection: { _id: 0 } }).toArray()) as T[];
  return new FlightLookups({
    weather: await read<WeatherRow>(names.weather),
    planes: await read<PlaneRow>(names.planes),
    schedule: await read<ScheduleRow>(names.schedule),
  });
}
