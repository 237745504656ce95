import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Counter } from 'prom-client';
import { serveMetrics, type MetricsServer } from './metrics-server';
import { createProcessRegistry } from './process-registry';

/** A local stand-in for the Temporal Core SDK's Prometheus exporter: fixed text on /metrics. */
const coreText = ['# HELP temporal_request_total Requests', '# TYPE temporal_request_total counter', 'temporal_request_total{service_name="temporal-core-sdk"} 4', ''].join('\n');

describe('serveMetrics', () => {
  let core: Server;
  let coreUrl: string;
  let served: MetricsServer;

  before(async () => {
    core = createServer((req, res) => res.writeHead(req.url === '/metrics' ? 200 : 404).end(req.url === '/metrics' ? coreText : ''));
    await new Promise<void>((resolve) => core.listen(0, '127.0.0.1', resolve));
    coreUrl = `http://127.0.0.1:${(core.address() as AddressInfo).port}/metrics`;
    const registry = createProcessRegistry('scoring-worker');
    new Counter({ name: 'flight_delay_test_total', help: 'A known metric', registers: [registry] }).inc(3);
    served = await serveMetrics({ port: 0, host: '127.0.0.1', registry, setting: 'SCORING_METRICS_PORT', extraText: async () => (await fetch(coreUrl)).text() });
  });

  after(async () => {
    await served.close();
    await new Promise<void>((resolve) => core.close(() => resolve()));
  });

  it('serves its registry (process metrics included) with the other text appended on /metrics', async () => {
    const res = await fetch(served.url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^flight_delay_test_total\{process="scoring-worker"\} 3$/m);
    assert.match(text, /^process_resident_memory_bytes\{process="scoring-worker"\} \d+/m);
    assert.match(text, /^temporal_request_total\{service_name="temporal-core-sdk"\} 4$/m);
    assert.ok(text.indexOf('flight_delay_test_total') < text.indexOf('temporal_request_total'), 'the registry first, then the appended text');
  });

  it('answers 404 on any other path and 405 to another method', async () => {
    assert.equal((await fetch(served.url.replace('/metrics', '/'))).status, 404);
    assert.equal((await fetch(served.url.replace('/metrics', '/metricsx'))).status, 404);
    const post = await fetch(served.url, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  it('fails on a port in use, naming the setting', async () => {
    const port = Number(new URL(served.url).port);
    await assert.rejects(
      serveMetrics({ port, host: '127.0.0.1', registry: createProcessRegistry('batch-worker'), setting: 'BATCH_METRICS_PORT' }),
      /127\.0\.0\.1:\d+ is in use .*set BATCH_METRICS_PORT to a free port, or 0/,
    );
  });
});
