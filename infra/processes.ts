import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessSpec } from './services/service';
import { setTimeout as sleep } from 'node:timers/promises';

/** What `up` remembers of a started process, so that `down` stops exactly that and nothing else. */
interface PidRecord {
  id: string;
  pid: number;
  command: string;
  startedAt: string;
}

export class ProcessTable {
  constructor(
    private readonly runDir: string,
    private readonly logDir: string,
  ) {
    mkdirSync(runDir, { recursive: true });
    mkdirSync(logDir, { recursive: true });
  }

  logFile(id: string): string {
    return join(this.logDir, `${id}.log`);
  }

  /** The recorded process if it is still alive and still the same program; stale records are removed. */
  alive(id: string): PidRecord | undefined {
    const file = this.pidFile(id);
    if (!existsSync(file)) return undefined;
    const rec = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
    if (isSameProcess(rec)) return rec;
    rmSync(file, { force: true });
    return undefined;
  }

  /** Starts the process detached, in its own process group, with stdout and stderr appended to its log. */
  start(spec: ProcessSpec): PidRecord {
    const out = openSync(this.logFile(spec.id), 'a');
    writeFileSync(out, `\n=== ${new Date().toISOString()} starting ${spec.command} ${spec.args.join(' ')}\n`);
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    if (child.pid === undefined) throw new Error(`could not start ${spec.id} (${spec.command})`);
    child.unref();
    const rec: PidRecord = { id: spec.id, pid: child.pid, command: spec.command, startedAt: new Date().toISOString() };
    writeFileSync(this.pidFile(spec.id), JSON.stringify(rec));
    return rec;
  }

  /** SIGTERM to the whole process group, then SIGKILL after the grace period. Resolves when it is gone. */
  async stop(id: string, graceMs = 20_000): Promise<boolean> {
    const rec = this.alive(id);
    if (!rec) return false;
    signalGroup(rec.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(rec.pid) && Date.now() < deadline) await sleep(200);
    if (groupAlive(rec.pid)) {
      signalGroup(rec.pid, 'SIGKILL');
      while (groupAlive(rec.pid)) await sleep(100);
    }
    rmSync(this.pidFile(id), { force: true });
    return true;
  }

  recordedIds(): string[] {
    return readdirSync(this.runDir)
      .filter((f) => f.endsWith('.pid'))
      .map((f) => f.slice(0, -'.pid'.length));
  }

  private pidFile(id: string): string {
    return join(this.runDir, `${id}.pid`);
  }
}

function isSameProcess(rec: PidRecord): boolean {
  try {
    const cmdline = readFileSync(`/proc/${rec.pid}/cmdline`, 'utf8');
    return cmdline.split('\0').some((part) => part === rec.command || part.endsWith(`/${rec.command.split('/').pop()}`));
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is already gone */
  }
}

/**
 * Whether any process of the group still runs. A zombie does not count: a dead service whose parent
 * has not reaped it yet (the process that ran `up` may be busy, as `npm test` is while its test runner
 * runs) still answers kill(0), and waiting for it to go away would wait forever.
 */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}
