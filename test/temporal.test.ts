import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { config } from '../common/config';
import { temporal as temporalService } from '../infra/services/temporal';
import * as activities from './fixtures/ping-activities';
import { freePort } from './support/free-port';
import type { pingWorkflow } from './fixtures/ping-workflow';

// The worker's own logs at INFO drown the test output; keep warnings and errors.
Runtime.install({ logger: new DefaultLogger('WARN') });

const cfg = config();

describe('Temporal', { timeout: 120_000 }, () => {
  let clients: TemporalClients | undefined;

  before(async () => {
    clients = await connectTemporal(cfg);
  });

  after(async () => {
    await closeTemporal(clients);
  });

  void test('the stack probe sees the frontend speak gRPC', async () => {
    const probe = await temporalService.probe(cfg);
    assert.equal(probe.ok, true, probe.detail);
    assert.match(probe.detail, /^Temporal Server \d+\.\d+\.\d+ gRPC, namespace /);
  });

  void test('the probe says at once when nothing listens, or when the namespace does not exist', async () => {
    const dead = await freePort();
    const started = Date.now();
    const refused = await temporalService.probe({ ...cfg, temporal: { ...cfg.temporal, address: `127.0.0.1:${dead}` } });
    assert.equal(refused.ok, false);
    assert.match(refused.detail, /UNAVAILABLE.*ECONNREFUSED/);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms: retries?`);
    const namespace = `missing-${randomUUID()}`;
    const missing = await temporalService.probe({ ...cfg, temporal: { ...cfg.temporal, namespace } });
    assert.equal(missing.ok, false);
    assert.ok(missing.detail.includes(`namespace "${namespace}" does not exist`), missing.detail);
  });

  void test('a worker runs a workflow that calls an activity', async () => {
    assert.ok(clients);
    const taskQueue = `test-ping-${randomUUID()}`;
    const nativeConnection = await NativeConnection.connect({ address: cfg.temporal.address });
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: cfg.temporal.namespace,
        taskQueue,
        workflowsPath: require.resolve('./fixtures/ping-workflow'),
        activities,
      });
      const running = worker.run();
      try {
        const workflowId = `ping-${randomUUID()}`;
        const handle = await clients.client.workflow.start<typeof pingWorkflow>('pingWorkflow', {
          taskQueue,
          workflowId,
          args: ['flight-delay'],
          workflowExecutionTimeout: '60 seconds',
        });
        const result = await handle.result();
        assert.deepEqual(result, {
          reply: 'pong flight-delay',
          workflowId,
          activityType: 'ping',
          attempt: 1,
          taskQueue,
        });

        const description = await handle.describe();
        assert.equal(description.status.name, 'COMPLETED');
        assert.equal(description.taskQueue, taskQueue);

        const history = await handle.fetchHistory();
        const events = history.events ?? [];
        assert.ok(events.some((e) => e.activityTaskCompletedEventAttributes), 'history has an ActivityTaskCompleted event');
        assert.ok(events.some((e) => e.workflowExecutionCompletedEventAttributes), 'history ends with WorkflowExecutionCompleted');
      } finally {
        worker.shutdown();
        await running;
      }
    } finally {
      await nativeConnection.close();
    }
  });

  void test('connectTemporal names an unknown namespace and says what to do', async () => {
    const namespace = `no-such-namespace-${randomUUID()}`;
    await assert.rejects(
      connectTemporal({ temporal: { ...cfg.temporal, namespace } }),
      (err: Error) => err.message.includes(`no namespace "${namespace}"`) && err.message.includes('TEMPORAL_NAMESPACE'),
    );
  });

  void test('connectTemporal says how to start Temporal when nothing answers', async () => {
    await assert.rejects(
      connectTemporal({ temporal: { ...cfg.temporal, address: '127.0.0.1:1' } }, { connectTimeoutMs: 1000 }),
      /Cannot reach the Temporal frontend at 127\.0\.0\.1:1 .*npm run stack -- up temporal/,
    );
  });
});
