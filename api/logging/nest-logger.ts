import type { LoggerService } from '@nestjs/common';
import type { Logger } from '../../common/logger';

/**
 * Nest's own log through the project's logger. Nest's `log` level narrates start-up (every route it
 * maps, every module it loads): that is written at debug; its warnings and errors as such. Nest passes
 * the context (the class that logs) last: it becomes the `context` field.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly target: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  /** Nest calls error(message, stack?, context?). */
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  private write(level: 'debug' | 'warn' | 'error', message: unknown, rest: unknown[]): void {
    if (!this.target.isLevelEnabled(level)) return;
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = rest.find((r): r is string => typeof r === 'string');
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    this.target[level](text, { ...(context ? { context } : {}), ...(stack ? { stack } : message instanceof Error ? { stack: message.stack } : {}) });
  }
}
