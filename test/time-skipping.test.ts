import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { activityInfo } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { retryingWorkflow, SleepyActivities, sleepyWorkflow } from './fixtures/sleepy-workflow';
import { createTimeSkippingEnv } from './support/time-skipping';

// The worker's own logs at INFO drown the test output; keep warnings and errors, except those about
// alwaysFails and retryingWorkflow, which fail on purpose.
const warnings = new DefaultLogger('WARN');
Runtime.install({
  logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
    if (meta?.activityType !== 'alwaysFails' && meta?.workflowType !== 'retryingWorkflow') warnings.log(level, message, meta);
  }),
});

const HOUR = 3_600_000;
const MINUTE = 60_000;

let env: TestWorkflowEnvironment | undefined;

/** Every attempt of alwaysFails, as the activity saw it, in this (the worker's) process. */
const attempts: { attempt: number; scheduledMs: number; serverNowMs: number }[] = [];

const activities: SleepyActivities = {
  stamp: () => {
    const info = activityInfo();
    return Promise.resolve({ scheduledMs: info.currentAttemptScheduledTimestampMs, attempt: info.attempt });
  },
  alwaysFails: async () => {
    const info = activityInfo();
    assert.ok(env);
    // The test server's own clock while this attempt runs.
    const serverNowMs = await env.currentTimeMs();
    attempts.push({ attempt: info.attempt, scheduledMs: info.currentAttemptScheduledTimestampMs, serverNowMs });
    throw ApplicationFailure.retryable(`attempt ${info.attempt} failed`, 'FlakyUpstream');
  },
};

describe('Temporal time-skipping test server', { timeout: 120_000 }, () => {
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const taskQueue = `time-skipping-${randomUUID()}`;

  before(async () => {
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowsPath: require.resolve('./fixtures/sleepy-workflow'),
      activities,
    });
    running = worker.run();
  });

  after(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  void test('a 6-hour sleep passes in seconds, and the server clock moves with it', async () => {
    assert.ok(env);
    const started = performance.now();
    const result = await env.client.workflow.execute<typeof sleepyWorkflow>('sleepyWorkflow', {
      taskQueue,
      workflowId: `sleepy-${randomUUID()}`,
    });
    const realMs = performance.now() - started;

    assert.ok(result.afterMs - result.beforeMs >= 6 * HOUR, `workflow time moved ${result.afterMs - result.beforeMs} ms`);
    // The activity's schedule time comes from the server, not from the workflow's clock.
    assert.ok(result.activityScheduledMs - result.beforeMs >= 6 * HOUR,
      `activity scheduled ${result.activityScheduledMs - result.beforeMs} ms after the workflow started`);
    assert.ok(realMs < 15_000, `took ${Math.round(realMs)} ms of real time`);
  });

  void test('retry intervals are honoured in skipped time, and the last failure surfaces', async () => {
    assert.ok(env);
    attempts.length = 0;
    const started = performance.now();
    await assert.rejects(
      env.client.workflow.execute<typeof retryingWorkflow>('retryingWorkflow', {
        taskQueue,
        workflowId: `retrying-${randomUUID()}`,
      }),
      (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${String(err)}`);
        assert.ok(err.cause instanceof ActivityFailure, `expected ActivityFailure, got ${String(err.cause)}`);
        const cause = err.cause.cause;
        assert.ok(cause instanceof ApplicationFailure, `expected ApplicationFailure, got ${String(cause)}`);
        assert.equal(cause.message, 'attempt 4 failed');
        assert.equal(cause.type, 'FlakyUpstream');
        return true;
      },
    );
    const realMs = performance.now() - started;

    assert.deepEqual(attempts.map((a) => a.attempt), [1, 2, 3, 4]);
    for (let i = 1; i < attempts.length; i++) {
      const prev = attempts[i - 1]!;
      const cur = attempts[i]!;
      const gap = cur.serverNowMs - prev.serverNowMs;
      assert.ok(Math.abs(gap - 5 * MINUTE) <= 1000, `attempt ${cur.attempt} ran ${gap} ms of server time after attempt ${prev.attempt}`);
      // The test server stamps attempt n with the time attempt n-1 failed (when it decided to retry), not the
      // time attempt n became due as Temporal Server does; so only check that the stamps move forward and
      // never run ahead of the attempt itself.
      assert.ok(cur.scheduledMs > prev.scheduledMs && cur.scheduledMs <= cur.serverNowMs,
        `attempt ${cur.attempt}: scheduled ${cur.scheduledMs}, ran ${cur.serverNowMs}, previous scheduled ${prev.scheduledMs}`);
    }
    assert.ok(realMs < 15_000, `took ${Math.round(realMs)} ms of real time`);
  });
});
