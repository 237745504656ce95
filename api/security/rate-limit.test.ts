import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from './rate-limit';

/** Calls the middleware as Express would, for a client address; says whether it passed and what it answered. */
function call(mw: ReturnType<typeof rateLimit>, address: string): { passed: boolean; status?: number; retryAfter?: string; body?: { message: string } } {
  const out: { passed: boolean; status?: number; retryAfter?: string; body?: { message: string } } = { passed: false };
  const res = {
    setHeader: (k: string, v: string) => {
      if (k === 'Retry-After') out.retryAfter = v;
    },
    status: (s: number) => {
      out.status = s;
      return res;
    },
    json: (b: { message: string }) => {
      out.body = b;
    },
  } as unknown as Response;
  const next: NextFunction = () => {
    out.passed = true;
  };
  mw({ socket: { remoteAddress: address } } as unknown as Request, res, next);
  return out;
}

describe('rateLimit', () => {
  it('lets a client make perMinute requests at once, then answers 429 with Retry-After until tokens come back', () => {
    let now = 0;
    const mw = rateLimit(60, () => now); // one token a second
    for (let i = 0; i < 60; i++) assert.equal(call(mw, '10.0.0.1').passed, true, `request ${i + 1}`);
    const refused = call(mw, '10.0.0.1');
    assert.equal(refused.passed, false);
    assert.equal(refused.status, 429);
    assert.equal(refused.retryAfter, '1');
    assert.match(refused.body!.message, /more than 60 requests a minute.*API_RATE_LIMIT_PER_MINUTE/);
    assert.equal(call(mw, '10.0.0.2').passed, true, 'another client has its own bucket');
    now += 1000;
    assert.equal(call(mw, '10.0.0.1').passed, true, 'a second later one token is back');
    assert.equal(call(mw, '10.0.0.1').passed, false);
  });
});
