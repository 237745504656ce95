import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../common/logger';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import { Stack } from '../infra/stack';
import { kafka as kafkaService } from '../infra/services/kafka';
import { completeMs, faultRequests, openFaultContext, openFaultRun, s, strikeAt } from './support/fault-run';
import { waitFor } from './support/wait-for';

/**
 * Faults on the real stack: the scoring worker SIGKILLed mid-stream, and the Kafka broker restarted
 * mid-stream. Either way every request ends up exactly once in MongoDB and at least once on the
 * response topic.
 */
describe('the realtime stream under faults', () => {
  let ctx: Awaited<ReturnType<typeof openFaultContext>>;
  const total = faultRequests;

  before(async () => {
    ctx = await openFaultContext('stream-faults');
  });

  after(async () => {
    await ctx.close();
  });

  it('loses nothing and duplicates nothing in MongoDB when the worker is SIGKILLed mid-stream', { timeout: 240_000 + completeMs }, async () => {
    const t0 = Date.now();
    const run = await openFaultRun(ctx, 'kill');
    try {
      const first = run.startWorker();
      await ensureStreamingWorkflow(ctx.temporal.client, { workflowId: run.workflowId, taskQueue: run.taskQueue });
      const uuids = Array.from({ length: total }, () => randomUUID());
      await run.produce(uuids);
      const produced = Date.now();

      const atKill = await waitFor(async () => {
        const n = await run.committed();
        return n >= strikeAt ? n : undefined;
      }, 120_000, 'the first requests committed');
      assert.ok(atKill < total, `the worker finished (${atKill}) before it could be killed`);
      first.kill('SIGKILL');
      const killedAt = Date.now();
      await new Promise<void>((r) => (first.exitCode !== null || first.signalCode !== null ? r() : first.once('exit', () => r())));
      run.startWorker();
      const resumed = await waitFor(async () => ((await run.committed()) > atKill + strikeAt ? Date.now() : undefined), 120_000, 'progress after the kill');

      await run.assertComplete(uuids, completeMs);
      console.log(
        `# kill: produce ${s(produced - t0)}, ${atKill} requests committed at the kill ${s(killedAt - t0)}, scoring again ${s(resumed - killedAt)} after the kill, ` +
          `all ${total} at ${s(Date.now() - t0)}`,
      );
      const describeWorkflow = await ctx.temporal.client.workflow.getHandle(run.workflowId).describe();
      assert.equal(describeWorkflow.status.name, 'RUNNING');
    } finally {
      await run.close();
    }
  });

  it('loses nothing and duplicates nothing in MongoDB when the Kafka broker restarts mid-stream', { timeout: 300_000 + completeMs }, async () => {
    const t0 = Date.now();
    const run = await openFaultRun(ctx, 'broker');
    const stack = new Stack(ctx.cfg, createLogger('stack', 'warn'), [kafkaService]);
    try {
      run.startWorker();
      await ensureStreamingWorkflow(ctx.temporal.client, { workflowId: run.workflowId, taskQueue: run.taskQueue });
      const uuids = Array.from({ length: total }, () => randomUUID());
      const half = Math.floor(total / 2);
      await run.produce(uuids.slice(0, half));

      const atRestart = await waitFor(async () => {
        const n = await run.committed();
        return n >= strikeAt ? n : undefined;
      }, 120_000, 'the first requests committed');
      assert.ok(atRestart < half, `the worker finished the first half (${atRestart}) before the restart`);
      const downAt = Date.now();
      const stopped = await stack.down();
      assert.deepEqual(stopped, ['kafka'], 'the stack stopped the broker');
      const duringOutage = await run.committed().catch(() => -1);
      await stack.up();
      const upAt = Date.now();
      await run.produce(uuids.slice(half));
      const produced = Date.now();

      await run.assertComplete(uuids, completeMs);
      console.log(
        `# broker: ${atRestart} requests committed at the restart ${s(downAt - t0)}, ${duringOutage} when down (-1: unknown), broker back after ${s(upAt - downAt)}, ` +
          `rest produced ${s(produced - upAt)}, all ${total} at ${s(Date.now() - t0)}`,
      );
    } finally {
      // Whatever happened, leave the broker running for the other tests.
      await stack.up().catch((err: unknown) => console.error(`could not bring Kafka back: ${String(err)}`));
      await run.close();
    }
  });
});
