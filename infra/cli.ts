import { existsSync, readFileSync } from 'node:fs';
import { config } from '../common/config';
import { createLogger, exitWithError } from '../common/logger';
import { Stack, type ServiceStatus } from './stack';
import { services } from './services';

const usage = `Usage: npm run stack -- <command> [service...]

Commands:
  up [service...]      provision (first time only) and start the local services, wait until each answers
  down [service...]    stop every process the stack started
  status [service...]  each service, its URLs and whether it answers
  logs [service]       the last lines of the services' logs

Services: ${services.map((s) => s.name).join(', ')}
A service whose variable is set (TEMPORAL_ADDRESS, KAFKA_BROKERS, MONGO_URL, MLFLOW_TRACKING_URI,
WEBHDFS_URL, PROMETHEUS_URL) is used where it is and never started here.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...names] = argv;
  const unknown = names.filter((n) => !services.some((s) => s.name === n));
  if (!command || command === 'help' || command === '--help' || unknown.length > 0) {
    if (unknown.length > 0) process.stderr.write(`Unknown service: ${unknown.join(', ')}\n\n`);
    process.stdout.write(`${usage}\n`);
    return command && unknown.length === 0 ? 0 : 2;
  }
  const cfg = config();
  const log = createLogger('stack', cfg);
  const selected = names.length > 0 ? services.filter((s) => names.includes(s.name)) : services;
  const stack = new Stack(cfg, log, selected);

  switch (command) {
    case 'up': {
      const started = Date.now();
      const status = await stack.up();
      printStatus(status);
      process.stdout.write(`\nStack ready in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
      return 0;
    }
    case 'down': {
      const stopped = await stack.down();
      process.stdout.write(stopped.length > 0 ? `Stopped: ${stopped.join(', ')}\n` : 'Nothing of the stack was running.\n');
      return 0;
    }
    case 'status': {
      const status = await stack.status();
      printStatus(status);
      return status.every((s) => s.up) ? 0 : 1;
    }
    case 'logs': {
      for (const file of stack.logFiles(names[0])) {
        if (!existsSync(file)) continue;
        const lines = readFileSync(file, 'utf8').split('\n');
        process.stdout.write(`==> ${file} <==\n${lines.slice(-60).join('\n')}\n`);
      }
      return 0;
    }
    default:
      process.stderr.write(`Unknown command '${command}'.\n\n${usage}\n`);
      return 2;
  }
}

function printStatus(status: ServiceStatus[]): void {
  const rows = status.map((s) => [
    s.name,
    s.up ? 'up' : 'DOWN',
    s.external ? 'external' : s.pids.length > 0 ? `pid ${s.pids.join(',')}` : '-',
    s.urls.map((u) => `${u.label} ${u.url}`).join('  '),
    s.up ? '' : s.detail,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) {
    process.stdout.write(`${r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd()}\n`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => exitWithError('stack', err),
);
