import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLogger } from '../common/logger';
import { activityLogger, withActivityLog } from './activity-log';

function capture() {
  const lines: string[] = [];
  const log = createLogger('batch', { logLevel: 'info', logFormat: 'json', destination: { write: (line: string) => lines.push(line) } });
  return { log, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('activityLogger', () => {
  it("puts the running activity's workflowId, runId, activityType and attempt on every line", async () => {
    const { log, entries } = capture();
    const env = new MockActivityEnvironment({ activityType: 'scoreChunk', attempt: 3, workflowExecution: { workflowId: 'batch-2013-07-04', runId: 'run-1' } });
    await env.run(() => {
      const deps = withActivityLog({ log, chunkSize: 10 });
      assert.equal(deps.chunkSize, 10);
      deps.log.info('chunk scored', { chunk: 4 });
      deps.log.child('hdfs').warn('slow upload');
      return Promise.resolve();
    });
    const [scored, upload] = entries();
    for (const e of [scored!, upload!]) {
      assert.equal(e.workflowId, 'batch-2013-07-04');
      assert.equal(e.runId, 'run-1');
      assert.equal(e.activityType, 'scoreChunk');
      assert.equal(e.attempt, 3);
    }
    assert.equal(scored!.chunk, 4);
    assert.equal(upload!.name, 'batch:hdfs');
  });

  it('keeps a getter of the deps a getter (a client renewed later is the one read)', async () => {
    const { log } = capture();
    let client = 'first';
    const deps = {
      log,
      get db() {
        return client;
      },
    };
    await new MockActivityEnvironment().run(() => {
      const bound = withActivityLog(deps);
      client = 'renewed';
      assert.equal(bound.db, 'renewed');
      assert.notEqual(bound.log, log);
      return Promise.resolve();
    });
  });

  it('leaves the logger as it is outside an activity', () => {
    const { log, entries } = capture();
    activityLogger(log).info('no activity');
    assert.equal(entries()[0]!.workflowId, undefined);
  });
});
