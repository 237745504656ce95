import type { LogLevel as SdkLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import type { LogFields, Logger } from '../common/logger';

/**
 * The SDK's worker component at INFO reports each workflow bundle as webpack prints it (dozens of lines
 * per worker start): that goes to debug. Everything else keeps its level, so the workflows' own
 * `log.info` lines show at LOG_LEVEL=info.
 */
function isBundleReport(message: string, meta: LogMetadata | undefined): boolean {
  return meta?.sdkComponent === 'worker' && message.includes('\n') && (message.startsWith('asset ') || /\bwebpack [\d.]+ compiled\b/.test(message));
}

/** The SDK's log entries through the project's logger: `name` temporal:<component>, its metadata as fields. */
export function sdkLogger(log: Logger): SdkLogger {
  const components = new Map<string, Logger>();
  const forComponent = (c: unknown): Logger => {
    if (typeof c !== 'string') return log;
    let child = components.get(c);
    if (!child) components.set(c, (child = log.child(c)));
    return child;
  };
  const write = (level: SdkLevel, message: string, meta?: LogMetadata): void => {
    const to = level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : level === 'INFO' && !isBundleReport(message, meta) ? 'info' : 'debug';
    if (level === 'TRACE' || !log.isLevelEnabled(to)) return;
    // The task token (an opaque binary on every activity line) and core's span contexts say nothing to a reader; workflowRunId is what our own lines call runId.
    const { sdkComponent, taskToken: _taskToken, spanContexts: _spanContexts, workflowRunId, ...rest } = meta ?? {};
    const fields: LogFields = workflowRunId === undefined ? rest : { ...rest, runId: workflowRunId };
    forComponent(sdkComponent)[to](message, fields);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}
