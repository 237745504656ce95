import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { keptAlive } from './heartbeats';

describe('keptAlive', () => {
  it('heartbeats the current details while one long call is awaited, and stops when it settles', async () => {
    const env = new MockActivityEnvironment();
    const sent: unknown[] = [];
    env.on('heartbeat', (d: unknown) => sent.push(d));
    let stage = 'train';
    const result = await env.run(() =>
      keptAlive(Context.current(), () => ({ stage }), async () => {
        await sleep(120);
        stage = 'save';
        await sleep(120);
        return 42;
      }, 20),
    );
    assert.equal(result, 42);
    const stages = sent.map((d) => (d as { stage: string }).stage);
    // At once, then about every 20 ms through both waits (timers are not exact: a loose floor).
    assert.ok(stages.filter((s) => s === 'train').length >= 3, stages.join(','));
    assert.ok(stages.filter((s) => s === 'save').length >= 3, stages.join(','));
    const count = sent.length;
    await sleep(100);
    assert.equal(sent.length, count, 'no heartbeat after the work settled');
  });

  it('stops its heartbeats when the work throws', async () => {
    const env = new MockActivityEnvironment();
    const sent: unknown[] = [];
    env.on('heartbeat', (d: unknown) => sent.push(d));
    await assert.rejects(env.run(() => keptAlive(Context.current(), () => 'x', () => Promise.reject(new Error('upload failed')), 20)), /upload failed/);
    const count = sent.length;
    await sleep(80);
    assert.equal(sent.length, count);
  });
});
