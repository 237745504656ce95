import type { TelemetryOptions } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import type { Config } from '../common/config';
import { serveMetrics } from '../common/metrics/metrics-server';
import { createProcessRegistry, type MetricsProcess } from '../common/metrics/process-registry';
import { coreMetricsText, temporalSdkMetrics } from './temporal-sdk-metrics';

export type WorkerKind = 'scoring' | 'training' | 'batch' | 'outcomes';

const kinds: Record<WorkerKind, { process: MetricsProcess; setting: string; port: (cfg: Pick<Config, 'metrics'>) => number }> = {
  scoring: { process: 'scoring-worker', setting: 'SCORING_METRICS_PORT', port: (cfg) => cfg.metrics.scoringPort },
  training: { process: 'training-worker', setting: 'TRAINING_METRICS_PORT', port: (cfg) => cfg.metrics.trainingPort },
  batch: { process: 'batch-worker', setting: 'BATCH_METRICS_PORT', port: (cfg) => cfg.metrics.batchPort },
  outcomes: { process: 'outcomes-worker', setting: 'OUTCOMES_METRICS_PORT', port: (cfg) => cfg.metrics.outcomesPort },
};

export interface WorkerMetrics {
  /** The process's registry: the activities' metrics register here. */
  registry: Registry;
  /** For Runtime.install (the Temporal SDK's metrics); undefined when the worker serves no metrics. */
  telemetryOptions: TelemetryOptions | undefined;
  /** Where /metrics is served; undefined when its port setting is 0. */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * A worker's /metrics, on the port of its kind's setting (0: none): its process and project metrics,
 * and the Temporal SDK's, which Core serves on a loopback port of its own and /metrics appends. Call
 * before Runtime.install, and give it `telemetryOptions`. Rejects when the port is taken, naming the setting.
 */
export async function startWorkerMetrics(kind: WorkerKind, cfg: Pick<Config, 'metrics'>, options: { port?: number } = {}): Promise<WorkerMetrics> {
  const { process, setting, port } = kinds[kind];
  const registry = createProcessRegistry(process);
  const wanted = options.port ?? port(cfg);
  if (wanted === 0) return { registry, telemetryOptions: undefined, url: undefined, close: () => Promise.resolve() };
  const sdk = await temporalSdkMetrics(process);
  const server = await serveMetrics({ port: wanted, host: cfg.metrics.host, registry, setting, extraText: () => coreMetricsText(sdk.coreMetricsUrl) });
  return { registry, telemetryOptions: sdk.telemetryOptions, url: server.url, close: () => server.close() };
}
