import { BadRequestException, Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from '../../common/logger';
import { requestIdOf } from '../logging/access-log';
import { BadInputError } from './bad-input';

/**
 * Every error answers JSON `{statusCode, error, message[, field]}` and never a stack trace: HTTP
 * errors as they were raised, anything else as a 500 whose details go to the log only. Body-parser
 * errors (too large, not JSON) keep their 4xx status.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const status = exception.getStatus();
      // Nest turns body-parser's SyntaxError into a bare BadRequestException with JSON.parse's words.
      if (exception instanceof BadRequestException && !(exception instanceof BadInputError) && typeof body === 'object' && /JSON/.test(String((body as { message?: unknown }).message))) {
        res.status(400).json({ statusCode: 400, error: 'Bad Request', message: `the request body is not valid JSON (${String((body as { message?: unknown }).message)})`, field: 'body' });
        return;
      }
      res.status(status).json(typeof body === 'string' ? { statusCode: status, error: HttpStatus[status] ?? 'Error', message: body } : body);
      return;
    }
    const e = exception as { status?: unknown; type?: unknown; message?: unknown };
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      const message =
        e.type === 'entity.too.large'
          ? 'the request body is larger than the limit (API_BODY_LIMIT)'
          : e.type === 'entity.parse.failed'
            ? 'the request body is not valid JSON'
            : typeof e.message === 'string' ? e.message : 'bad request';
      res.status(e.status).json({ statusCode: e.status, error: HttpStatus[e.status] ?? 'Bad Request', message });
      return;
    }
    this.log.error('unhandled error in a request', { requestId: requestIdOf(res), error: exception instanceof Error ? (exception.stack ?? exception.message) : String(exception) });
    res.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: 'the server failed to answer; the log has the details' });
  }
}
