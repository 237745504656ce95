import type { FlightRecord } from '../models/flight';
import { Coordinates, greatCircleMiles } from './airports';

/** One row of the seed's origin_dest_distances (MongoDB collection / JSONL). */
export interface OriginDestDistance {
  Origin: string;
  Dest: string;
  /** Miles: the average Distance of the pair's flights. */
  Distance: number;
}

/** Where the table found a distance (common/prediction/distance.ts maps it onto a result's DistanceSource). */
export type LookupSource = 'observed' | 'observed-reverse' | 'great-circle';

export interface DistanceLookup {
  miles: number;
  source: LookupSource;
}

/** Neither the data nor the airport coordinates know this pair. */
export class UnknownRouteError extends Error {
  constructor(readonly origin: string, readonly dest: string, readonly withoutCoordinates: string[]) {
    super(
      `no distance for ${origin} → ${dest}: no flight between them in the distance table, and ` +
      `${withoutCoordinates.join(' and ')} ${withoutCoordinates.length === 1 ? 'has' : 'have'} no coordinates in airports.csv; ` +
      'check the airport codes (IATA, e.g. JFK), or send Distance with the request',
    );
    this.name = 'UnknownRouteError';
  }
}

const pairKey = (origin: string, dest: string) => `${origin}\u0000${dest}`;

/**
 * Origin → destination distances: the average Distance per (Origin, Dest) pair of a data set, as the
 * seed's origin_dest_distances, falling back to the same pair flown the other way, then to the
 * great-circle distance between the airports' coordinates.
 */
export class DistanceTable {
  private constructor(
    private readonly observed: Map<string, OriginDestDistance>,
    private readonly airports: ReadonlyMap<string, Coordinates>,
  ) {}

  /** Averages Distance per (Origin, Dest) over `records` (records without a Distance are skipped). */
  static fromRecords(records: Iterable<FlightRecord>, airports: ReadonlyMap<string, Coordinates> = new Map()): DistanceTable {
    const sums = new Map<string, { Origin: string; Dest: string; total: number; count: number }>();
    for (const r of records) {
      if (r.Distance === null) continue;
      const key = pairKey(r.Origin, r.Dest);
      const sum = sums.get(key);
      if (sum) {
        sum.total += r.Distance;
        sum.count++;
      } else {
        sums.set(key, { Origin: r.Origin, Dest: r.Dest, total: r.Distance, count: 1 });
      }
    }
    const observed = new Map<string, OriginDestDistance>();
    for (const [key, s] of sums) observed.set(key, { Origin: s.Origin, Dest: s.Dest, Distance: s.total / s.count });
    return new DistanceTable(observed, airports);
  }

  /** Rebuilds a table from stored rows (e.g. the origin_dest_distances collection). */
  static fromRows(rows: Iterable<OriginDestDistance>, airports: ReadonlyMap<string, Coordinates> = new Map()): DistanceTable {
    const observed = new Map<string, OriginDestDistance>();
    for (const row of rows) observed.set(pairKey(row.Origin, row.Dest), { ...row });
    return new DistanceTable(observed, airports);
  }

  get size(): number {
    return this.observed.size;
  }

  /** The observed pairs, sorted by Origin then Dest, ready to store as origin_dest_distances. */
  rows(): OriginDestDistance[] {
    return [...this.observed.values()].sort((a, b) => a.Origin.localeCompare(b.Origin) || a.Dest.localeCompare(b.Dest));
  }

  /** The distance and where it came from, or undefined when neither the data nor the coordinates know the pair. */
  lookup(origin: string, dest: string): DistanceLookup | undefined {
    const seen = this.observed.get(pairKey(origin, dest));
    if (seen) return { miles: seen.Distance, source: 'observed' };
    const reverse = this.observed.get(pairKey(dest, origin));
    if (reverse) return { miles: reverse.Distance, source: 'observed-reverse' };
    const from = this.airports.get(origin);
    const to = this.airports.get(dest);
    if (from && to) return { miles: greatCircleMiles(from, to), source: 'great-circle' };
    return undefined;
  }

  /** Miles between two airports, or throws UnknownRouteError naming both and which lack coordinates. */
  milesBetween(origin: string, dest: string): number {
    const found = this.lookup(origin, dest);
    if (found) return found.miles;
    throw new UnknownRouteError(origin, dest, [origin, dest].filter((code) => !this.airports.has(code)));
  }
}
