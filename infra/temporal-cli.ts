/**
 * npm run temporal -- <args>: the Temporal CLI that `npm run stack -- up` provisioned, pointed at
 * TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE. For example:
 *   npm run temporal -- workflow list
 *   npm run temporal -- workflow start --task-queue flight-delay-training --type trainFlightDelayModel --input '{}'
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { config } from '../common/config';
import { temporalCliPath } from './services/temporal';

const cfg = config();
const cli = temporalCliPath(cfg.stack.home);
if (!existsSync(cli)) {
  process.stderr.write(`The Temporal CLI is not provisioned yet (${cli}). Run: npm run stack -- up temporal\n`);
  process.exit(1);
}
const r = spawnSync(cli, process.argv.slice(2), {
  stdio: 'inherit',
  env: { ...process.env, TEMPORAL_ADDRESS: cfg.temporal.address, TEMPORAL_NAMESPACE: cfg.temporal.namespace },
});
process.exit(r.status ?? 1);
