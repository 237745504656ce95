import { Coordinates, greatCircleMiles } from './airports';
import type { OriginDestDistance } from './distances';

export interface PairDifference extends OriginDestDistance {
  greatCircle: number;
  /** (Distance − greatCircle) / greatCircle. */
  relativeDifference: number;
}

export interface DistanceAgreement {
  pairs: number;
  /** Pairs whose two airports both have coordinates (the others cannot be compared). */
  compared: number;
  airportsWithoutCoordinates: string[];
  /** Shares of the compared pairs whose observed distance is within 1 %, 2 % and 5 % of the great circle. */
  within1Percent: number;
  within2Percent: number;
  within5Percent: number;
  medianAbsoluteRelativeDifference: number;
  /** The pairs that differ most, largest first. */
  worst: PairDifference[];
}

/** How well a data set's observed distances agree with great-circle distances between the airports. */
export function compareWithGreatCircle(
  rows: readonly OriginDestDistance[], airports: ReadonlyMap<string, Coordinates>, worstCount = 5,
): DistanceAgreement {
  const differences: PairDifference[] = [];
  const withoutCoordinates = new Set<string>();
  for (const row of rows) {
    const from = airports.get(row.Origin);
    const to = airports.get(row.Dest);
    if (!from) withoutCoordinates.add(row.Origin);
    if (!to) withoutCoordinates.add(row.Dest);
    if (!from || !to) continue;
    const greatCircle = greatCircleMiles(from, to);
    differences.push({ ...row, greatCircle, relativeDifference: (row.Distance - greatCircle) / greatCircle });
  }
  const absolute = differences.map((d) => Math.abs(d.relativeDifference)).sort((a, b) => a - b);
  const share = (limit: number) => (absolute.length === 0 ? 0 : absolute.filter((x) => x <= limit).length / absolute.length);
  return {
    pairs: rows.length,
    compared: differences.length,
    airportsWithoutCoordinates: [...withoutCoordinates].sort(),
    within1Percent: share(0.01),
    within2Percent: share(0.02),
    within5Percent: share(0.05),
    medianAbsoluteRelativeDifference: absolute[Math.floor(absolute.length / 2)] ?? 0,
    worst: differences
      .sort((a, b) => Math.abs(b.relativeDifference) - Math.abs(a.relativeDifference))
      .slice(0, worstCount),
  };
}
