/**
 * npm run challenger -- VERSION   makes a registered version the shadow challenger: the stream (within
 *                                 STREAM_CHAMPION_WATCH_MS) and the next daily batch score it beside the
 *                                 champion, file its predictions, and never answer with it.
 * npm run challenger -- --clear   stops scoring a challenger.
 * npm run challenger              says which versions are champion and challenger.
 * The monitor promotes the challenger when it beats the champion by PROMOTE_MIN_GAIN on at least
 * PROMOTE_MIN_OUTCOMES live outcomes (the same as POST /api/models/VERSION/challenger).
 */
import { config } from '../common/config';
import { createLogger, exitWithError } from '../common/logger';
import { modelRegistryFor } from '../common/model-registry';

async function main(): Promise<void> {
  const arg = process.argv[2];
  const cfg = config();
  const registry = modelRegistryFor(cfg, createLogger('challenger', cfg));
  if (arg === '--clear') {
    await registry.setChallenger(null);
    process.stdout.write('no shadow challenger any more\n');
    return;
  }
  if (arg !== undefined && !/^[0-9]{1,9}$/.test(arg)) throw new Error(`usage: npm run challenger -- VERSION | --clear   (a version as npm run challenger lists; got ${JSON.stringify(arg)})`);
  if (arg !== undefined) {
    if (!(await registry.has(arg))) throw new Error(`no model version ${arg} of ${cfg.mlflow.registeredModel} in the registry: npm run challenger lists them`);
    if ((await registry.championVersion()) === arg) throw new Error(`version ${arg} is the champion: it cannot shadow itself`);
    await registry.setChallenger(arg);
  }
  const { champion, versions } = await registry.versions();
  const challenger = await registry.challengerVersion();
  process.stdout.write(`champion: ${champion ?? 'none'}; challenger: ${challenger ?? 'none'}\n`);
  for (const v of versions.slice(0, 10)) process.stdout.write(`  v${v.version}  held-out accuracy ${v.accuracy?.toFixed(4) ?? '—'}  ${v.savedAt}\n`);
}

main().catch((err: unknown) => exitWithError('challenger', err));
