/**
 * The processes `npm start` runs — the workers and the API — as children with their output prefixed by
 * name (in JSON, named by a field), stopped together: SIGTERM, then SIGKILL for any still running after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../common/config';
import type { LogFormat } from '../../common/logger';

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

const width = 16;

/**
 * A child's line as `npm start` writes it. Text: prefixed with the child's name. JSON (LOG_FORMAT=json):
 * the output stays one JSON object per line — a child's own JSON line gets a `process` field naming the
 * child, and any other line (a crash's stack trace, a tool's own output) is wrapped in one.
 */
export function childLine(name: string, line: string, format: LogFormat, stream: 'stdout' | 'stderr'): string | undefined {
  if (format === 'text') return `${name.padEnd(width)}│ ${line}\n`;
  if (line.trim() === '') return undefined;
  if (line.startsWith('{"') && line.endsWith('}')) return `{"process":${JSON.stringify(name)},${line.slice(1)}\n`;
  return `${JSON.stringify({ level: stream === 'stderr' ? 'warn' : 'info', time: new Date().toISOString(), name, process: name, msg: line })}\n`;
}

function forwardLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream, format: LogFormat, kind: 'stdout' | 'stderr'): void {
  let partial = '';
  const write = (line: string): void => {
    const shown = childLine(name, line, format, kind);
    if (shown !== undefined) out.write(shown);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) write(line);
  });
  stream.on('end', () => {
    if (partial) write(partial);
  });
}

export class Children {
  readonly list: Child[] = [];

  /** `format`: LOG_FORMAT, which the children share (they inherit the environment). */
  constructor(private readonly format: LogFormat = 'text') {}

  /** Starts `script` (a .ts file of the repository) under tsx, its output prefixed with `name` (childLine). */
  start(name: string, script: string, env: NodeJS.ProcessEnv = process.env): Child {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, script)], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    forwardLines(name, child.stdout, process.stdout, this.format, 'stdout');
    forwardLines(name, child.stderr, process.stderr, this.format, 'stderr');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? null : 0))));
    const entry = { name, process: child, exited };
    this.list.push(entry);
    return entry;
  }

  /** The first child to exit, with its code. */
  firstExit(): Promise<{ name: string; code: number | null }> {
    return Promise.race(this.list.map((c) => c.exited.then((code) => ({ name: c.name, code }))));
  }

  /** Stops every child: SIGTERM, and SIGKILL after `graceMs` for those still running. */
  async stopAll(graceMs = 20_000): Promise<void> {
    const running = this.list.filter((c) => c.process.exitCode === null && c.process.signalCode === null);
    for (const c of running) c.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const c of running) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    }, graceMs);
    await Promise.all(running.map((c) => c.exited));
    clearTimeout(timer);
  }
}
