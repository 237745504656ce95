import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vegaDatasetsDir } from './vega-datasets';

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** A row of vega-datasets' airports.csv (3,376 US airports by IATA/FAA code). */
export interface Airport extends Coordinates {
  iata: string;
  name: string;
  /** null where the file says NA. */
  city: string | null;
  state: string | null;
  country: string;
}

export const earthRadiusMiles = 3958.8;

/** Great-circle distance in miles (haversine formula). */
export function greatCircleMiles(a: Coordinates, b: Coordinates): number {
  const radians = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * radians;
  const dLon = (b.longitude - a.longitude) * radians;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * radians) * Math.cos(b.latitude * radians) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusMiles * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Splits one CSV line: commas separate fields, double quotes enclose fields with commas, "" is a quote. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

const expectedHeader = 'iata,name,city,state,country,latitude,longitude';

export function defaultAirportsPath(): string {
  return join(vegaDatasetsDir(), 'airports.csv');
}

/** Reads airports.csv into a map by IATA code; throws naming the line of a row it cannot read. */
export function parseAirports(csv: string, source = 'airports.csv'): Map<string, Airport> {
  const lines = csv.split(/\r?\n/);
  if (lines[0]?.trim() !== expectedHeader) {
    throw new Error(`${source}: expected the header "${expectedHeader}", got ${JSON.stringify(lines[0])}`);
  }
  const airports = new Map<string, Airport>();
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [iata, name, city, state, country, latitude, longitude] = splitCsvLine(line);
    const lat = Number(latitude);
    const lon = Number(longitude);
    if (!iata || !(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180) || latitude === '' || longitude === '') {
      throw new Error(`${source} line ${i + 2}: expected an IATA code and a latitude and longitude in degrees, got ${JSON.stringify(line)}`);
    }
    const orNull = (v: string | undefined) => (v === undefined || v === '' || v === 'NA' ? null : v);
    airports.set(iata, {
      iata, name: name ?? '', city: orNull(city), state: orNull(state), country: country ?? '', latitude: lat, longitude: lon,
    });
  });
  return airports;
}

let cached: Map<string, Airport> | undefined;

/** vega-datasets' airports, read once per process. */
export function loadAirports(path = defaultAirportsPath()): Map<string, Airport> {
  if (path === defaultAirportsPath() && cached) return cached;
  let csv: string;
  try {
    csv = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read the airports file (${(err as Error).message}); it ships with the npm package vega-datasets: run npm ci`);
  }
  const airports = parseAirports(csv, path);
  if (path === defaultAirportsPath()) cached = airports;
  return airports;
}
