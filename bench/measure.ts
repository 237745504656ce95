/** Small helpers shared by the benchmarks: wall time, peak memory, and a plain table. */
export const seconds = (from: number): number => (performance.now() - from) / 1000;

/** The positive number given as `--name N` on the command line, or `fallback`; a bad one stops the bench, naming it. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number, got ${JSON.stringify(process.argv[i + 1])}`);
  return v;
}

/** Peak resident memory of this process so far, in MB. */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

export function printTable(rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  // Every row's columns, in the order they first appear: a later row may add one of its own.
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => formatCell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]): string => values.map((v, i) => v.padStart(widths[i]!)).join('  ');
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of cells) process.stdout.write(`${line(r)}\n`);
}

function formatCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4);
}
