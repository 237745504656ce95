/**
 * Percentiles of a Prometheus histogram over an interval: the difference of two scrapes of the API's
 * /metrics, read bucket by bucket. A percentile is the upper bound of the bucket it falls in, so it is
 * as coarse as the buckets.
 */

/** Cumulative bucket counts of one histogram series (by `le`), from a scrape's text. */
function buckets(text: string, name: string, labels: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le !== undefined) counts.set(le === '+Inf' ? Infinity : Number(le), value);
  }
  return counts;
}

/** The series' sum of observations in a scrape. */
function sum(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}_sum`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** The `p`th percentiles (0–100) and the mean of what the series observed between two scrapes, in the histogram's unit. */
export function percentilesBetween(before: string, after: string, name: string, labels: string, ps: readonly number[]): { count: number; values: number[]; mean: number } {
  const a = buckets(before, name, labels);
  const b = buckets(after, name, labels);
  const bounds = [...b.keys()].sort((x, y) => x - y);
  const cumulative = bounds.map((le) => (b.get(le) ?? 0) - (a.get(le) ?? 0));
  const count = cumulative[cumulative.length - 1] ?? 0;
  const values = ps.map((p) => {
    const rank = Math.ceil((p / 100) * count);
    const at = cumulative.findIndex((c) => c >= rank);
    return at < 0 ? NaN : bounds[at]!;
  });
  return { count, values, mean: count > 0 ? (sum(after, name, labels) - sum(before, name, labels)) / count : NaN };
}
