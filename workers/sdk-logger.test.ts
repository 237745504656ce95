import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../common/logger';
import { sdkLogger } from './sdk-logger';

describe('sdkLogger', () => {
  it("passes the workflows' info lines at info, sends webpack's bundle report to debug, names the component", () => {
    const lines: string[] = [];
    const log = createLogger('temporal', { logLevel: 'info', logFormat: 'json', destination: { write: (line: string) => lines.push(line) } });
    const sdk = sdkLogger(log);
    sdk.info('scaling the stream', { sdkComponent: 'workflow', workflowId: 'flight-delay-streaming', runId: 'r', from: 3, to: 4 });
    sdk.info('asset workflow-bundle-1.js 1.2 MiB [emitted]\nwebpack 5.99.0 compiled successfully in 2100 ms', { sdkComponent: 'worker' });
    sdk.debug('activation', { sdkComponent: 'worker' });
    sdk.warn('slow', { sdkComponent: 'activity', workflowRunId: 'r2', taskToken: 'opaque', activityType: 'consumeAndScore' });
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(entries.map((e) => [e.name, e.level, e.msg]), [
      ['temporal:workflow', 'info', 'scaling the stream'],
      ['temporal:activity', 'warn', 'slow'],
    ]);
    assert.equal(entries[0]!.to, 4);
    assert.equal(entries[1]!.runId, 'r2');
    assert.equal(entries[1]!.taskToken, undefined);
  });
});
