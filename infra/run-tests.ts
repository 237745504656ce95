/**
 * `npm test`: brings the local stack up (provisioning it the first time), then runs every test file
 * with Node's test runner. `--unit` runs only the tests beside the code, which need no services;
 * `--faults` only the stream's fault tests (100,000 requests, a killed worker, a restarted broker).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { config, repoRoot } from '../common/config';
import { createLogger, exitWithError } from '../common/logger';
import { Stack } from './stack';
import { ensureChromium } from './tools/chromium';
import { ensureSchemathesis } from './tools/schemathesis';
import { provisionTemporalTestServer } from './tools/temporal-test-server';

const skipDirs = new Set(['node_modules', 'dist', '.stack', '.git']);

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return skipDirs.has(e.name) ? [] : findTests(join(dir, e.name));
    return e.name.endsWith('.test.ts') ? [relative(repoRoot, join(dir, e.name))] : [];
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unitOnly = args.includes('--unit');
  const faultsOnly = args.includes('--faults');
  const filters = args.filter((a) => !a.startsWith('--'));
  let files = findTests(repoRoot).sort();
  if (unitOnly) files = files.filter((f) => !f.startsWith('test/'));
  if (faultsOnly) files = files.filter((f) => f.endsWith('-faults.test.ts'));
  if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
  if (files.length === 0) {
    process.stderr.write('No test files matched.\n');
    return 1;
  }
  if (files.some((f) => f.startsWith('test/'))) {
    const cfg = config();
    await new Stack(cfg, createLogger('stack', cfg)).up();
    // For test/support/time-skipping: a one-time download here rather than inside the first test.
    await provisionTemporalTestServer(cfg.stack.home, createLogger('test-server', cfg));
  }
  // Browser tests drive a system Chromium through playwright-core; found or installed once, here.
  const env = { ...process.env };
  if (files.some((f) => f.includes('browser'))) env.CHROMIUM_PATH = await ensureChromium(createLogger('chromium', config()));
  // The contract test runs Schemathesis (PyPI) from a virtualenv of its own, installed once, here.
  if (files.some((f) => f.includes('contract'))) env.SCHEMATHESIS_PATH = await ensureSchemathesis(config().stack.home, createLogger('schemathesis', config()));
  // Integration tests share the services: one file at a time keeps them from stepping on each other.
  // Not spawnSync: this process started the stack's services, and only a running event loop reaps
  // them when a test stops one (a broker restart); unreaped, they would linger as zombies.
  const runner = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    cwd: repoRoot,
    env,
  });
  return new Promise<number>((resolve, reject) => {
    runner.once('error', reject);
    runner.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => exitWithError('test', err),
);
