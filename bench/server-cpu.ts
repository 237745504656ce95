/**
 * The CPU time of the process that listens on a local TCP port: how a benchmark charges a server's own
 * work to the documents it handled. Linux only (/proc); undefined when the server is on another machine
 * or its process cannot be read.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const clockTicksPerSecond = 100;

/** Socket inodes listening on `port` (IPv4 and IPv6), from /proc/net/tcp*. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is "IP:PORT"; state 0A is LISTEN; the inode is the tenth column.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9]) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** The pid of the local process listening on `port`, or undefined. */
export function listeningPid(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return Number(entry);
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  return undefined;
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime 14 and stime 15 (1-based, man 5 proc).
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

/** Measures the CPU seconds a local server spends while `work` runs; undefined when it is not local. */
export async function withServerCpu<T>(pid: number | undefined, work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number | undefined }> {
  const before = pid === undefined ? undefined : cpuSeconds(pid);
  const result = await work();
  return { result, cpuSeconds: pid === undefined || before === undefined ? undefined : cpuSeconds(pid) - before };
}

/** The machine's CPU counters so far (all cores): busy and total clock ticks, from the first line of /proc/stat. */
export function machineCpuTicks(): { busy: number; total: number } {
  const cols = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: idle and iowait are the machine waiting.
  const total = cols.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - cols[3]! - cols[4]!, total };
}

/** The share (0–1) of the machine's CPU time that was busy between two readings of machineCpuTicks. */
export function busyShare(from: { busy: number; total: number }, to: { busy: number; total: number }): number {
  return to.total === from.total ? 0 : (to.busy - from.busy) / (to.total - from.total);
}
