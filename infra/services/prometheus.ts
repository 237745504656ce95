import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../common/config';
import { run } from '../exec';
import { httpGet, probing } from '../probes';
import { tools } from '../toolchain';
import { prometheusYaml, scrapeJobs } from './prometheus-config';
import type { ProbeResult, ProcessSpec, ServiceContext, ServiceDefinition } from './service';

/**
 * Prometheus from Debian's `prometheus` package: the package and the JavaScript libraries its web UI
 * links to are fetched with `apt-get download` (the machine's apt sources) and unpacked with
 * `dpkg-deb -x` into the cache; nothing is installed system-wide. It listens on 127.0.0.1:PROMETHEUS_PORT
 * and scrapes what prometheus-config.ts lists, every 5 s, keeping 7 days under .stack/data/prometheus.
 */

/** The packages unpacked side by side: their relative symlinks (web/static/jquery -> ../../../javascript/jquery) then resolve. */
const PACKAGES = [
  'prometheus',
  'fonts-glyphicons-halflings',
  'libjs-bootstrap4',
  'libjs-d3',
  'libjs-eonasdan-bootstrap-datetimepicker',
  'libjs-jquery',
  'libjs-jquery-hotkeys',
  'libjs-moment',
  'libjs-moment-timezone',
  'libjs-mustache',
  'libjs-popper.js',
  'libjs-rickshaw',
];
/** Bump when the unpacked layout or PACKAGES change, so that the cache is provisioned anew. */
const LAYOUT = 1;

const rootDir = (cacheDir: string): string => join(cacheDir, 'debian');
const markerFile = (cacheDir: string): string => join(rootDir(cacheDir), '.provisioned');
const binary = (cacheDir: string): string => join(rootDir(cacheDir), 'usr', 'bin', 'prometheus');
const configFile = (dataDir: string): string => join(dataDir, 'prometheus.yml');

/** apt-get with the machine's sources; `lists` names a private package-list folder instead of the system's. */
function aptArgs(lists?: string): string[] {
  const own = lists ? ['-o', `Dir::State::Lists=${join(lists, 'lists')}`, '-o', `Dir::Cache=${join(lists, 'cache')}`] : [];
  // As root apt hands downloads to its _apt user, which may not write to the cache folder.
  return ['-q', '-o', `APT::Sandbox::User=${userInfo().username}`, ...own];
}

/**
 * Downloads PACKAGES into `into`: with the system's package lists first (quick where `apt-get update`
 * has run), else with lists of its own fetched into a private folder (a fresh machine, or stale lists).
 */
async function download(ctx: ServiceContext, into: string): Promise<void> {
  try {
    await run('apt-get', [...aptArgs(), 'download', ...PACKAGES], { cwd: into, log: ctx.log, what: "downloading Debian's prometheus package" });
    return;
  } catch (err) {
    const said = (err as Error).message.split('\n').filter((l) => l.trim()).pop();
    ctx.log.info(`the system's package lists did not serve it (${said}); fetching lists of its own`);
  }
  const lists = join(into, 'apt');
  for (const dir of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(lists, dir), { recursive: true });
  const hint = 'Check that apt reaches its sources (apt-get update), or run a Prometheus yourself and set PROMETHEUS_URL.';
  await run('apt-get', [...aptArgs(lists), 'update'], { cwd: into, log: ctx.log, what: 'fetching Debian package lists' }).catch((err: Error) => {
    throw new Error(`${err.message}\n${hint}`);
  });
  await run('apt-get', [...aptArgs(lists), 'download', ...PACKAGES], { cwd: into, log: ctx.log, what: "downloading Debian's prometheus package" }).catch(
    (err: Error) => {
      throw new Error(`${err.message}\n${hint}`);
    },
  );
  rmSync(lists, { recursive: true, force: true });
}

async function provision(ctx: ServiceContext): Promise<void> {
  const { cacheDir } = ctx;
  if (existsSync(binary(cacheDir)) && existsSync(markerFile(cacheDir)) && readFileSync(markerFile(cacheDir), 'utf8').startsWith(`layout ${LAYOUT}\n`)) {
    ctx.log.debug('Prometheus already unpacked', { bin: binary(cacheDir) });
    return;
  }
  const started = Date.now();
  ctx.log.info(`provisioning Prometheus from Debian's packages (~23 MB) into ${cacheDir}`);
  // A private staging folder: checkouts share the cache, so two of them may provision at once.
  const staging = join(cacheDir, `.staging-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  try {
    await download(ctx, staging);
    const debs = readdirSync(staging).filter((f) => f.endsWith('.deb')).sort();
    const missing = PACKAGES.filter((p) => !debs.some((d) => d.startsWith(`${p}_`)));
    if (missing.length > 0) throw new Error(`apt-get download left no .deb for ${missing.join(', ')} in ${staging}`);
    const root = join(staging, 'debian');
    await run('sh', ['-c', 'for deb; do dpkg-deb -x "$deb" "$0" || exit 1; done', root, ...debs.map((d) => join(staging, d))], {
      log: ctx.log,
      what: `unpacking ${debs.length} packages`,
    });
    const version = await run(join(root, 'usr', 'bin', 'prometheus'), ['--version'], { log: ctx.log, what: 'checking the prometheus binary' });
    writeFileSync(join(root, '.provisioned'), `layout ${LAYOUT}\n${debs.join('\n')}\n`);
    rmSync(rootDir(cacheDir), { recursive: true, force: true });
    renameSync(root, rootDir(cacheDir));
    ctx.log.info(`provisioned ${version.split('\n')[0]?.trim()} in ${((Date.now() - started) / 1000).toFixed(1)} s`, { bin: binary(cacheDir) });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Writes prometheus.yml from the settings before every start, so that changed ports take effect. */
function prepare(ctx: ServiceContext): Promise<void> {
  mkdirSync(join(ctx.dataDir, 'tsdb'), { recursive: true });
  writeFileSync(configFile(ctx.dataDir), prometheusYaml(scrapeJobs(ctx.config)));
  return Promise.resolve();
}

function processes(ctx: ServiceContext): ProcessSpec[] {
  const root = rootDir(ctx.cacheDir);
  return [
    {
      id: 'prometheus',
      command: binary(ctx.cacheDir),
      args: [
        `--config.file=${configFile(ctx.dataDir)}`,
        `--storage.tsdb.path=${join(ctx.dataDir, 'tsdb')}`,
        '--storage.tsdb.retention.time=7d',
        `--web.listen-address=127.0.0.1:${ctx.config.prometheus.port}`,
        // Debian's build reads its web UI from files; these are the unpacked package's.
        `--web.local-assets=${join(root, 'usr', 'share', 'prometheus', 'web')}/`,
        `--web.console.templates=${join(root, 'etc', 'prometheus', 'consoles')}`,
        `--web.console.libraries=${join(root, 'etc', 'prometheus', 'console_libraries')}`,
        `--log.level=${ctx.config.logLevel === 'debug' ? 'info' : ctx.config.logLevel === 'error' ? 'error' : 'warn'}`,
      ],
      cwd: ctx.dataDir,
    },
  ];
}

interface TargetsAnswer {
  data?: { activeTargets?: { health?: string }[] };
}

/** Ready (/-/ready: the storage is open and the configuration loaded), with its version and how many targets are up. */
function probe(config: Config): Promise<ProbeResult> {
  return probing(async () => {
    const base = config.prometheus.url;
    const ready = await httpGet(`${base}/-/ready`);
    if (ready.status !== 200) return { ok: false, detail: `${base}/-/ready answered ${ready.status} ${ready.body.trim().slice(0, 100)}` };
    const build = await httpGet(`${base}/api/v1/status/buildinfo`).catch(() => undefined);
    const version = build?.status === 200 ? (JSON.parse(build.body) as { data?: { version?: string } }).data?.version : undefined;
    const targets = await httpGet(`${base}/api/v1/targets?state=active`).catch(() => undefined);
    const active = targets?.status === 200 ? ((JSON.parse(targets.body) as TargetsAnswer).data?.activeTargets ?? []) : undefined;
    const up = active ? `, ${active.filter((t) => t.health === 'up').length} of ${active.length} targets up` : '';
    return { ok: true, detail: `Prometheus${version ? ` ${version}` : ''} ready${up}` };
  });
}

/** A page of the web UI: Debian's build serves its classic UI under /classic, another Prometheus (PROMETHEUS_URL) its own at the root. */
export function prometheusPage(config: Pick<Config, 'prometheus' | 'external'>, page: 'targets' | 'graph'): string {
  return `${config.prometheus.url}${config.external.prometheus ? '' : '/classic'}/${page}`;
}

export const prometheus: ServiceDefinition = {
  name: 'prometheus',
  title: 'Prometheus',
  urls: (config) => [
    { label: 'targets', url: prometheusPage(config, 'targets') },
    { label: 'queries', url: prometheusPage(config, 'graph') },
  ],
  tools: [tools.apt, tools.dpkgDeb],
  provision,
  prepare,
  processes,
  probe,
  startTimeoutMs: 60_000,
};
