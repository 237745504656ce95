import { Runtime } from '@temporalio/worker';
import type { Config } from '../common/config';
import { createLogger } from '../common/logger';
import { sdkLogger } from './sdk-logger';

/**
 * The Temporal SDK's runtime of this process: its log (the workers', the workflows' `log` and the
 * activities' `Context.log`) goes through the project's logger at LOG_LEVEL, in LOG_FORMAT. Call once,
 * first thing, before any Worker or NativeConnection is made.
 */
export function installRuntime(cfg: Pick<Config, 'logLevel' | 'logFormat'>): void {
  Runtime.install({ logger: sdkLogger(createLogger('temporal', cfg)) });
}
