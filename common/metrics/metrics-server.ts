import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { appendExposition } from './exposition';

export interface MetricsServerOptions {
  port: number;
  host: string;
  registry: Registry;
  /** More exposition text appended to the registry's (the Temporal SDK's metrics); its families already in the registry are left out. */
  extraText?: () => Promise<string>;
  /** The setting that chose the port, named in the error when the port is taken. */
  setting: string;
}

export interface MetricsServer {
  /** `http://host:port/metrics`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A worker's /metrics over node:http: GET /metrics answers the registry's text (with `extraText`
 * appended); any other path 404, any other method 405. Rejects when the port cannot be had, naming the setting.
 */
export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, extraText } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    void (async () => {
      try {
        const own = await registry.metrics();
        const text = extraText ? appendExposition(own, await extraText()) : own;
        res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`could not collect the metrics: ${(err as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is in use (another process, perhaps a second worker of the same kind on this machine)' : `cannot be listened on (${err.message})`;
      reject(new Error(`the metrics port ${options.host}:${options.port} ${why}: set ${options.setting} to a free port, or 0 to serve no metrics`, { cause: err }));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
