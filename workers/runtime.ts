import { Runtime, type TelemetryOptions } from '@temporalio/worker';
import type { Config } from '../common/config';
import { createLogger } from '../common/logger';
import { sdkLogger } from './sdk-logger';

/**
 * The Temporal SDK's runtime of this process: its log (the workers', the workflows' `log`, the
 * activities' `Context.log`, and the Rust core's own warnings, forwarded rather than printed in a format
 * of their own) goes through the project's logger at LOG_LEVEL, in LOG_FORMAT. Call once, first thing,
 * before any Worker or NativeConnection is made. `telemetry`: the SDK's metrics exporter
 * (workers/worker-metrics.ts), when the process serves metrics.
 */
export function installRuntime(cfg: Pick<Config, 'logLevel' | 'logFormat'>, telemetry?: TelemetryOptions): void {
  const runtime = Runtime.install({
    logger: sdkLogger(createLogger('temporal', cfg)),
    telemetryOptions: { ...telemetry, logging: { forward: {} } },
  });
  // Forwarded lines wait up to 100 ms in the SDK's buffer (to be sorted by time): out before an exit.
  process.once('exit', () => runtime.flushLogs());
}
