import { DefaultLogger, Runtime, type TelemetryOptions } from '@temporalio/worker';
import type { Config } from '../common/config';

/**
 * The Temporal SDK's own log at WARN unless LOG_LEVEL=debug: at INFO it prints the workflow bundle's
 * webpack report and each state change, which drown the project's log lines. `telemetryOptions`: the SDK's
 * metrics exporter (workers/worker-metrics.ts). Call once, before any Temporal connection.
 */
export function installSdkLogging(cfg: Pick<Config, 'logLevel'>, telemetryOptions?: TelemetryOptions): void {
  Runtime.install({ logger: new DefaultLogger(cfg.logLevel === 'debug' ? 'INFO' : 'WARN'), ...(telemetryOptions ? { telemetryOptions } : {}) });
}
