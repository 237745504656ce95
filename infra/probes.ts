import { connect } from 'node:net';
import type { ProbeResult } from './services/service';

/** Splits "host:port" (IPv6 in brackets allowed). */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort);
  if (!m) throw new Error(`expected host:port, got ${hostPort}`);
  return { host: m[1]!, port: Number(m[2]) };
}

/**
 * Sends one request over TCP and resolves with the first complete reply, as judged by `complete`
 * (given all bytes received so far). Rejects on connection errors and after `timeoutMs`.
 */
export function tcpExchange(
  hostPort: string,
  request: Buffer,
  complete: (received: Buffer) => boolean,
  timeoutMs = 2000,
): Promise<Buffer> {
  const { host, port } = parseHostPort(hostPort);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from ${hostPort} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (complete(received)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${hostPort} closed the connection`));
    });
  });
}

/** GET a URL with a timeout; resolves with status and body text. */
export async function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

/** Turns any thrown error into a failed probe with a short reason. */
export async function probing(fn: () => Promise<ProbeResult>): Promise<ProbeResult> {
  try {
    return await fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    return { ok: false, detail: e.cause?.code ?? e.code ?? e.message };
  }
}
