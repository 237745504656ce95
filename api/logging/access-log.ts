import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../common/logger';

/** A client's own X-Request-Id is kept when it is a sane token; anything else is replaced by a new UUID. */
const acceptableId = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** What a request's handlers add to its access line (res.locals). */
interface AccessNotes {
  requestId?: string;
  uuid?: string;
}

/** The request's id (X-Request-Id): the client's when it sent a sane one, otherwise one made by accessLog. */
export function requestIdOf(res: Response): string | undefined {
  return (res.locals as AccessNotes).requestId;
}

/** Puts a prediction's UUID on the request's access line. */
export function notePrediction(res: Response, uuid: string): void {
  (res.locals as AccessNotes).uuid = uuid;
}

/** Probes and scrapes: a line each at debug, not info. */
const quiet = (path: string): boolean => path === '/health' || path.startsWith('/health/') || path === '/metrics';

/**
 * Express middleware: gives each request its id (the client's X-Request-Id, or a new UUID), answers it
 * in X-Request-Id, and writes one access line when the response is finished: method, path, status, ms,
 * requestId and, for a prediction, its uuid. Errors (5xx) at error, probes at debug, the rest at info.
 */
export function accessLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const sent = req.get('x-request-id');
    const requestId = sent !== undefined && acceptableId.test(sent) ? sent : randomUUID();
    (res.locals as AccessNotes).requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.once('finish', () => {
      const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const { uuid } = res.locals as AccessNotes;
      const fields = { method: req.method, path, status: res.statusCode, ms, requestId, ...(uuid !== undefined ? { uuid } : {}) };
      if (res.statusCode >= 500) log.error('http', fields);
      else if (quiet(path)) log.debug('http', fields);
      else log.info('http', fields);
    });
    next();
  };
}
