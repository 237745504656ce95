import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../common/config';

/**
 * The Temporal SDK's own log at WARN unless LOG_LEVEL=debug: at INFO it prints the workflow bundle's
 * webpack report and each state change, which drown the project's log lines. Call once, first thing.
 */
export function installSdkLogging(cfg: Pick<Config, 'logLevel'>): void {
  Runtime.install({ logger: new DefaultLogger(cfg.logLevel === 'debug' ? 'INFO' : 'WARN') });
}
