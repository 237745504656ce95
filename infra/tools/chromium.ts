import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Logger } from '../../common/logger';
import { run } from '../exec';

/**
 * Chromium for the browser tests (playwright-core drives it; it downloads no browser of its own).
 * CHROMIUM_PATH if set, else `chromium` or `chromium-browser` on PATH, else Debian's `chromium` package.
 */
const NAMES = ['chromium', 'chromium-browser'];
const INSTALL = ['install', '-y', '--no-install-recommends', 'chromium'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of NAMES) {
    for (const dir of dirs) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** apt-get as root, or through `sudo -n` (never prompting) otherwise. */
async function aptGet(args: string[], log: Logger): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]];
  return run(command, argv, { log, what: 'install Chromium for the browser tests', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

async function installChromium(log: Logger): Promise<void> {
  try {
    await aptGet(INSTALL, log);
  } catch (err) {
    // A fresh image has no package lists: "Unable to locate package chromium".
    if (!/Unable to locate package|has no installation candidate/.test(String(err))) throw err;
    await aptGet(['update'], log);
    await aptGet(INSTALL, log);
  }
}

/** The path of a Chromium executable, installed with apt-get the first time if there is none. */
export async function ensureChromium(log: Logger): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which is not an executable file. Fix or unset CHROMIUM_PATH.`);
    return fromEnv;
  }
  const found = findOnPath();
  if (found) return found;
  const byHand =
    'Install it by hand (Debian: apt-get update && apt-get install -y --no-install-recommends chromium, as root) ' +
    'or set CHROMIUM_PATH to a Chromium executable.';
  try {
    await installChromium(log);
  } catch (err) {
    throw new Error(`Chromium is needed for the browser tests and installing it failed: ${err instanceof Error ? err.message : String(err)}\n${byHand}`);
  }
  const installed = findOnPath();
  if (!installed) throw new Error(`apt-get installed chromium but neither ${NAMES.join(' nor ')} is on PATH. ${byHand}`);
  log.info(`Chromium installed: ${installed}`);
  return installed;
}
