import { createServer } from 'node:net';
import type { TelemetryOptions } from '@temporalio/worker';
import type { MetricsProcess } from '../common/metrics/process-registry';

export interface TemporalSdkMetrics {
  /** For Runtime.install: the Core SDK's Prometheus exporter on a loopback port of its own. */
  telemetryOptions: TelemetryOptions;
  /** Where Core serves its text; the worker's /metrics appends it (coreMetricsText). */
  coreMetricsUrl: string;
}

/** A port free on `host` now: listen on 0, read the port, close. Core binds it a moment later. */
export async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error(`could not find a free port on ${host}`);
  return address.port;
}

/**
 * The Temporal SDK's own metrics (workflow and activity task latencies, polls, slots, sticky cache…):
 * the Core SDK serves them in the Prometheus format on a free loopback port, with Prometheus's
 * conventions (seconds, `_total` counters, units in names) and the process label of the worker's own
 * series. Nothing outside this machine reads that port: the worker's /metrics appends its text.
 */
export async function temporalSdkMetrics(processName: MetricsProcess, host = '127.0.0.1'): Promise<TemporalSdkMetrics> {
  const port = await freePort(host);
  const bindAddress = `${host}:${port}`;
  return {
    telemetryOptions: {
      metrics: {
        globalTags: { process: processName },
        prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
      },
    },
    coreMetricsUrl: `http://${bindAddress}/metrics`,
  };
}

/** Core's text, or a comment saying why it is missing: the worker's own metrics are served either way. */
export async function coreMetricsText(coreMetricsUrl: string, timeoutMs = 2000): Promise<string> {
  try {
    const res = await fetch(coreMetricsUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return `# Temporal SDK metrics unavailable: ${coreMetricsUrl} answered ${res.status}\n`;
    return await res.text();
  } catch (err) {
    return `# Temporal SDK metrics unavailable: ${coreMetricsUrl}: ${(err as Error).message}\n`;
  }
}
