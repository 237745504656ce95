import type { NextFunction, Request, Response } from 'express';

/**
 * Per-client rate limit (the client is the socket's address): a token bucket of `perMinute` tokens
 * refilled continuously. Over the limit: 429 with Retry-After. Buckets of idle clients are dropped.
 */
export function rateLimit(perMinute: number, now: () => number = Date.now): (req: Request, res: Response, next: NextFunction) => void {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  let lastSweep = now();
  return (req, res, next) => {
    const t = now();
    if (t - lastSweep > 60_000) {
      for (const [k, b] of buckets) if (t - b.at > 120_000) buckets.delete(k);
      lastSweep = t;
    }
    const key = req.socket.remoteAddress ?? 'unknown';
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: t };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * perMs);
    bucket.at = t;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil((1 - bucket.tokens) / perMs / 1000);
      res.setHeader('Retry-After', String(retryAfter));
      res.status(429).json({ statusCode: 429, error: 'Too Many Requests', message: `more than ${perMinute} requests a minute from this client (API_RATE_LIMIT_PER_MINUTE); retry in ${retryAfter} s` });
      return;
    }
    bucket.tokens -= 1;
    next();
  };
}
