import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DefaultLogger, Runtime, type ReplayResult } from '@temporalio/worker';
import { workflowTypes } from '../common/names';
import { readRecordedHistories, replayHistories } from '../test/support/recorded-histories';

/**
 * Replays every history that `npm run replay:record` recorded (test/histories/) against today's
 * workflow code, bundled from the file the workers bundle (workflows/index.ts). A change that would
 * stall a running workflow with a non-determinism error fails here first. Needs no services (replay
 * runs in this process), so it runs with the unit tests; the README's "Changing a workflow safely"
 * says what to do when it fails.
 */

// The replay worker's own lines at INFO drown the test output; keep warnings and errors.
Runtime.install({ logger: new DefaultLogger('WARN') });

const histories = readRecordedHistories();

describe('recorded workflow histories replay against today’s workflow code', { timeout: 120_000 }, () => {
  let results = new Map<string, ReplayResult>();

  before(async () => {
    results = await replayHistories(require.resolve('../workflows'), histories);
  });

  it('has a history of every workflow the workers register', () => {
    const recorded = new Set(histories.map((h) => h.workflowType));
    const missing = Object.values(workflowTypes).filter((type) => !recorded.has(type));
    assert.deepEqual(missing, [], 'record one with npm run replay:record (test/support/history-cases/)');
  });

  for (const { name, workflowType } of histories) {
    it(`replays ${name} (${workflowType})`, () => {
      const result = results.get(name);
      assert.ok(result, `${name} was not replayed`);
      assert.equal(result.error, undefined, `${name}: ${result.error?.message ?? ''}`);
    });
  }
});
