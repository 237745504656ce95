import pino, { type DestinationStream, type Logger as Pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `text`: one readable line per entry (the default); `json`: one JSON object per line (pino's). */
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** The same logger under the name `<name>:<sub>`, keeping the bound fields. */
  child(sub: string): Logger;
  /** The same logger with `fields` on every line it writes (an activity's ids, a request's id). */
  with(fields: LogFields): Logger;
  /** Whether a line at `level` would be written: lets a caller skip building lines nobody sees. */
  isLevelEnabled(level: LogLevel): boolean;
}

export interface LogSettings {
  logLevel?: LogLevel;
  /** Default: LOG_FORMAT of the environment (config() reads .env into it). */
  logFormat?: LogFormat;
  /** Default: stderr, written synchronously (nothing is lost on process.exit). Tests give their own. */
  destination?: { write(line: string): unknown };
}

const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const envLevel = (): LogLevel => (levels as readonly string[]).includes(process.env.LOG_LEVEL ?? '') ? (process.env.LOG_LEVEL as LogLevel) : 'info';
const envFormat = (): LogFormat => (process.env.LOG_FORMAT?.trim() === 'json' ? 'json' : 'text');

let stderr: DestinationStream | undefined;
/** One synchronous writer on fd 2 for every logger of the process (sonic-boom retries a full pipe). */
const stderrDestination = (): DestinationStream => (stderr ??= pino.destination({ dest: 2, sync: true }));

const core = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname']);
/** Context bound to every line of an activity: last on a text line, after what the line is about. */
const trailing = new Set(['workflowId', 'runId', 'activityType', 'attempt']);
const colors: Record<string, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

const isSerializedError = (v: unknown): v is { message: string } =>
  typeof v === 'object' && v !== null && 'type' in v && 'stack' in v && typeof (v as { message?: unknown }).message === 'string';
const render = (v: unknown): string =>
  typeof v === 'string' ? (/[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v) : isSerializedError(v) ? render(v.message) : JSON.stringify(v);

/** A pino JSON line as `time level [name] msg key=value …` (strings with spaces quoted; an activity's ids last). */
export function textLine(json: string, color = false): string {
  const entry = JSON.parse(json) as Record<string, unknown>;
  const level = String(entry.level);
  const fields = Object.entries(entry).filter(([k]) => !core.has(k));
  const extra = [...fields.filter(([k]) => !trailing.has(k)), ...fields.filter(([k]) => trailing.has(k))]
    .map(([k, v]) => `${k}=${render(v)}`)
    .join(' ');
  const shown = color ? `${colors[level] ?? ''}${level.padEnd(5)}\x1b[0m` : level.padEnd(5);
  return `${String(entry.time)} ${shown} [${String(entry.name)}] ${String(entry.msg)}${extra ? ` ${extra}` : ''}\n`;
}

/** Renders each pino line as text before writing it on. */
function textDestination(out: { write(line: string): unknown }, color: boolean): DestinationStream {
  return { write: (line: string) => out.write(textLine(line, color)) };
}

/** Errors given as fields keep their message and stack (JSON.stringify writes an Error as `{}`). */
function withErrors(fields: LogFields): LogFields {
  let out: LogFields | undefined;
  for (const [k, v] of Object.entries(fields)) if (v instanceof Error) (out ??= { ...fields })[k] = pino.stdSerializers.err(v);
  return out ?? fields;
}

function rootLogger(level: LogLevel | 'silent', format: LogFormat, destination: LogSettings['destination']): Pino {
  const out = destination ?? stderrDestination();
  const color = !destination && format === 'text' && process.stderr.isTTY === true && !process.env.NO_COLOR;
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    format === 'json' ? out : textDestination(out, color),
  );
}

function wrap(root: Pino, name: string, bindings: LogFields): Logger {
  const p = root.child({ name, ...bindings });
  return {
    debug: (msg, fields) => (fields ? p.debug(withErrors(fields), msg) : p.debug(msg)),
    info: (msg, fields) => (fields ? p.info(withErrors(fields), msg) : p.info(msg)),
    warn: (msg, fields) => (fields ? p.warn(withErrors(fields), msg) : p.warn(msg)),
    error: (msg, fields) => (fields ? p.error(withErrors(fields), msg) : p.error(msg)),
    // Children are made from the root, not from `p`: pino would repeat a rebound key (name) in the JSON.
    child: (sub) => wrap(root, `${name}:${sub}`, bindings),
    with: (fields) => wrap(root, name, { ...bindings, ...fields }),
    isLevelEnabled: (level) => p.isLevelEnabled(level),
  };
}

/**
 * The project's logger (pino): on stderr, at LOG_LEVEL, as text lines or as JSON lines (LOG_FORMAT=json)
 * with `time`, `level`, `name`, `msg`, `pid`, `hostname` and the fields given. `settings` is a level, or
 * the config (its logLevel and logFormat).
 */
export function createLogger(name: string, settings: LogLevel | LogSettings = {}): Logger {
  const s: LogSettings = typeof settings === 'string' ? { logLevel: settings } : settings;
  return wrap(rootLogger(s.logLevel ?? envLevel(), s.logFormat ?? envFormat(), s.destination), name, {});
}

/** A logger that writes nothing (tests). */
export const silentLogger: Logger = wrap(rootLogger('silent', 'json', { write: () => undefined }), 'silent', {});

/**
 * For a process's last words: logs why it stops (in LOG_FORMAT, even when the configuration itself was
 * the problem) and exits (with 1 unless told). The write is synchronous, so the line is out before the exit.
 */
export function exitWithError(name: string, err: unknown, code = 1): never {
  createLogger(name, { logLevel: 'error' }).error(err instanceof Error ? err.message : String(err));
  process.exit(code);
}
