import type { NextFunction, Request, Response } from 'express';

interface PathMethods {
  pattern: RegExp;
  methods: Set<string>;
}

/** The methods of each path of an OpenAPI document, with `{param}` segments matching any one segment. */
export function methodTable(paths: Record<string, object>): PathMethods[] {
  return Object.entries(paths).map(([path, item]) => ({
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}/?$`),
    methods: new Set(Object.keys(item).map((m) => m.toUpperCase()).filter((m) => /^(GET|PUT|POST|DELETE|PATCH)$/.test(m))),
  }));
}

/** The methods a path allows, HEAD with GET; undefined when no documented path matches. */
export function allowedMethods(table: PathMethods[], path: string): string[] | undefined {
  const matching = table.filter((t) => t.pattern.test(path));
  if (matching.length === 0) return undefined;
  const methods = new Set(matching.flatMap((t) => [...t.methods]));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * For a documented path, a method the document does not declare answers 405 with `Allow` (RFC 9110)
 * instead of falling through to 404; OPTIONS answers 204 with `Allow` (unless CORS takes it).
 * Paths the document does not know (pages, socket.io) pass through.
 */
export function methodNotAllowed(paths: Record<string, object>, options: { cors: boolean }): (req: Request, res: Response, next: NextFunction) => void {
  const table = methodTable(paths);
  return (req, res, next) => {
    const allowed = allowedMethods(table, req.path);
    if (!allowed || allowed.includes(req.method)) return next();
    if (req.method === 'OPTIONS') {
      if (options.cors && req.header('access-control-request-method')) return next();
      res.setHeader('Allow', allowed.join(', '));
      res.status(204).end();
      return;
    }
    res.setHeader('Allow', allowed.join(', '));
    res.status(405).json({ statusCode: 405, error: 'Method Not Allowed', message: `${req.method} is not a method of ${req.path}; it allows ${allowed.join(', ')}` });
  };
}
