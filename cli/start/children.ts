/**
 * The processes `npm start` runs — the workers and the API — as children with their output prefixed by
 * name, stopped together: SIGTERM, then SIGKILL for any still running after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../common/config';

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

const width = 16;

function prefixLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream): void {
  let partial = '';
  const label = `${name.padEnd(width)}│ `;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) out.write(`${label}${line}\n`);
  });
  stream.on('end', () => {
    if (partial) out.write(`${label}${partial}\n`);
  });
}

export class Children {
  readonly list: Child[] = [];

  /** Starts `script` (a .ts file of the repository) under tsx, its output prefixed with `name`. */
  start(name: string, script: string, env: NodeJS.ProcessEnv = process.env): Child {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, script)], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prefixLines(name, child.stdout, process.stdout);
    prefixLines(name, child.stderr, process.stderr);
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
