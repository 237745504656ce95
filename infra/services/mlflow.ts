import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../common/config';
import { run } from '../exec';
import { httpGet, probeMlflowRest } from '../probes';
import { tools } from '../toolchain';
import type { ServiceContext, ServiceDefinition } from './service';

/**
 * MLflow tracking server: a virtualenv in the cache with the pinned packages of
 * infra/config/mlflow/requirements.txt, SQLite as backend store and the artifacts served by the
 * server itself (mlflow-artifacts:/ URIs), all under .stack/data/mlflow.
 */

const requirementsFile = (ctx: ServiceContext): string => join(ctx.repoRoot, 'infra', 'config', 'mlflow', 'requirements.txt');
const venvDir = (ctx: ServiceContext): string => join(ctx.cacheDir, 'venv');
const markerFile = (ctx: ServiceContext): string => join(venvDir(ctx), '.flight-delay-provisioned');

/** Few workers: the machine has two cores and the server is only lightly used. */
const WORKERS = 2;

/** Host and port the server binds to, from MLFLOW_TRACKING_URI (default http://127.0.0.1:5000). */
function bindAddress(config: Config): { host: string; port: number } {
  const url = new URL(config.mlflow.trackingUri);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

/** Host headers the server accepts (its DNS-rebinding guard): loopback names, with and without the port. */
function allowedHosts(config: Config): string {
  const { host, port } = bindAddress(config);
  const names = [...new Set([host, '127.0.0.1', 'localhost'])];
  return names.flatMap((h) => [h, `${h}:${port}`]).join(',');
}

function pythonVersion(): string {
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
  } catch (err) {
    throw new Error(`could not run python3 (${(err as Error).message}). ${tools.python.hint}`);
  }
}

export const mlflow: ServiceDefinition = {
  name: 'mlflow',
  title: 'MLflow tracking server',
  urls: (config) => [
    { label: 'UI', url: config.mlflow.trackingUri },
    { label: 'REST', url: `${config.mlflow.trackingUri}/api/2.0/mlflow` },
  ],
  tools: [tools.python],

  async provision(ctx) {
    const reqFile = requirementsFile(ctx);
    const requirements = readFileSync(reqFile, 'utf8');
    const version = /^mlflow==(\S+)\s*$/m.exec(requirements)?.[1];
    if (!version) throw new Error(`${reqFile} must pin mlflow (a line mlflow==<version>)`);
    const python = pythonVersion();
    const [major = 0, minor = 0] = python.split('.').map(Number);
    if (major < 3 || (major === 3 && minor < 10)) {
      throw new Error(`MLflow ${version} needs Python 3.10 or newer, but python3 is ${python}. ${tools.python.hint}`);
    }
    const digest = createHash('sha256').update(requirements).digest('hex').slice(0, 16);
    const marker = `mlflow==${version}\npython ${python}\nrequirements ${digest}\n`;
    const venv = venvDir(ctx);
    const bin = (name: string): string => join(venv, 'bin', name);
    if (existsSync(bin('mlflow')) && existsSync(markerFile(ctx)) && readFileSync(markerFile(ctx), 'utf8') === marker) {
      ctx.log.debug(`mlflow ${version} already installed`, { venv });
      return;
    }

    const started = Date.now();
    const why = existsSync(markerFile(ctx)) ? 'the pinned versions or python3 changed' : 'first time only';
    ctx.log.info(`installing mlflow ${version} into ${venv} (${why}; under a minute)`);
    rmSync(venv, { recursive: true, force: true });
    await run('python3', ['-m', 'venv', venv], { log: ctx.log, what: 'creating the MLflow virtualenv' }).catch((err: Error) => {
      throw new Error(`${err.message}\nIs the venv module there? On Debian/Ubuntu: apt-get install python3-venv`);
    });
    // Every package is pinned in requirements.txt: --no-deps keeps out what the server does not use.
    // --no-compile skips byte-compiling ~60 packages; the import check below compiles what the server loads.
    await run(
      bin('pip'),
      ['install', '--no-deps', '--only-binary=:all:', '--no-compile', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', '-r', reqFile],
      { log: ctx.log, what: `installing mlflow ${version}` },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nCheck that PyPI answers (pip config list; pip index versions mlflow), then run up again.`);
    });
    await run(bin('python'), ['-W', 'ignore', '-c', 'import mlflow.server.fastapi_app, mlflow.server.handlers'], {
      log: ctx.log,
      what: 'checking that the MLflow server imports',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '' },
    }).catch((err: Error) => {
      throw new Error(`${err.message}\nA package the server imports is missing from ${reqFile}: add it pinned, then run up again.`);
    });
    writeFileSync(markerFile(ctx), marker);
    ctx.log.info(`mlflow ${version} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },

  prepare(ctx) {
    mkdirSync(join(ctx.dataDir, 'artifacts'), { recursive: true });
    return Promise.resolve();
  },

  processes(ctx) {
    const { host, port } = bindAddress(ctx.config);
    return [
      {
        id: 'mlflow',
        command: join(venvDir(ctx), 'bin', 'mlflow'),
        args: [
          'server',
          '--host', host,
          '--port', String(port),
          '--workers', String(WORKERS),
          '--backend-store-uri', `sqlite:///${join(ctx.dataDir, 'mlflow.db')}`,
          '--serve-artifacts',
          '--artifacts-destination', join(ctx.dataDir, 'artifacts'),
          '--allowed-hosts', allowedHosts(ctx.config),
        ],
        env: {
          // The job runner (GenAI scorers) would start huey consumers in sessions of their own,
          // outside the process group that `down` stops; nothing here needs it.
          MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
          MLFLOW_DISABLE_TELEMETRY: 'true',
          DO_NOT_TRACK: 'true',
          // Let the workers cache bytecode in the venv (the image sets PYTHONDONTWRITEBYTECODE=1).
          PYTHONDONTWRITEBYTECODE: '',
          PYTHONUNBUFFERED: '1',
        },
        cwd: ctx.dataDir,
      },
    ];
  },

  async probe(config) {
    // Answers only once the database is migrated and a worker serves the REST API.
    const rest = await probeMlflowRest(config);
    if (!rest.ok) return rest;
    const version = await httpGet(`${config.mlflow.trackingUri}/version`, 2000).catch(() => undefined);
    return version?.status === 200 ? { ok: true, detail: rest.detail.replace(/^MLflow/, `MLflow ${version.body.trim()}`) } : rest;
  },

  startTimeoutMs: 180_000,
};
