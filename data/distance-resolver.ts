/**
 * The Distance a request is scored with. The seed looked it up in origin_dest_distances and crashed on
 * a pair it did not know; here the request's own Distance wins, then the table (either direction),
 * then the great circle between the airports, and only a pair with neither is an error.
 */
import { loadAirports, type Coordinates } from './airports';
import { DistanceTable } from './distances';
import type { DistanceMap } from './distance-table';
import type { DistanceSource } from '../common/prediction-result';

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
