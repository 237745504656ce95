import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/logger';
import { run } from '../exec';

/** The Schemathesis the contract test runs: pinned, so that a new release's new checks land as a change of this line. */
export const schemathesisVersion = '4.32.5';

/**
 * Schemathesis (PyPI) in a virtualenv of its own under the stack's cache, like MLflow's: installed the
 * first time (about a minute), then reused. Returns the path of its `schemathesis` command.
 */
export async function ensureSchemathesis(cacheHome: string, log: Logger): Promise<string> {
  const venv = join(cacheHome, 'schemathesis', 'venv');
  const command = join(venv, 'bin', 'schemathesis');
  const marker = join(venv, '.flight-delay-provisioned');
  const wanted = `schemathesis==${schemathesisVersion}\n`;
  if (existsSync(command) && existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return command;
  const started = Date.now();
  log.info(`installing schemathesis ${schemathesisVersion} into ${venv} (first time only; about a minute)`);
  rmSync(venv, { recursive: true, force: true });
  await run('python3', ['-m', 'venv', venv], { log, what: 'creating the Schemathesis virtualenv' }).catch((err: Error) => {
    throw new Error(`${err.message}\nIs the venv module there? On Debian/Ubuntu: apt-get install python3-venv`);
  });
  await run(join(venv, 'bin', 'pip'), ['install', '--only-binary=:all:', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', `schemathesis==${schemathesisVersion}`], {
    log,
    what: `installing schemathesis ${schemathesisVersion}`,
  }).catch((err: Error) => {
    throw new Error(`${err.message}\nCheck that PyPI answers (pip config list; pip index versions schemathesis), then run the tests again.`);
  });
  writeFileSync(marker, wanted);
  log.info(`schemathesis ${schemathesisVersion} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return command;
}
