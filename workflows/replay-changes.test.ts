import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowTypes } from '../common/names';
import { readRecordedHistories, replayHistories } from '../test/support/recorded-histories';

/**
 * What the replay test (replay.test.ts) catches: the recorded archiving histories replayed against
 * two changed copies of the archiving workflow (test/fixtures/replay/), which measure the collection
 * again when done. Made plainly, the change breaks every recorded run; behind `patched`, none.
 */

// The SDK's core warns of each failing replay, which this test causes on purpose.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

const archiving = readRecordedHistories().filter((h) => h.workflowType === workflowTypes.archiving);

describe('a change to a workflow, against the recorded histories', { timeout: 120_000 }, () => {
  it('has archiving histories to replay', () => {
    assert.ok(archiving.length >= 2, `found ${archiving.length}`);
  });

  it('fails the replay with a DeterminismViolationError when the change is not guarded', async () => {
    const results = await replayHistories(require.resolve('../test/fixtures/replay/archiving-measured-after'), archiving);
    for (const { name } of archiving) {
      const error = results.get(name)?.error;
      assert.ok(error instanceof DeterminismViolationError, `${name}: expected a DeterminismViolationError, got ${String(error)}`);
      assert.match(error.message, /nondetermin/i);
    }
  });

  it('replays every recorded run when the change is guarded by patched()', async () => {
    const results = await replayHistories(require.resolve('../test/fixtures/replay/archiving-measured-after-patched'), archiving);
    for (const { name } of archiving) {
      assert.ok(results.has(name), `${name} was not replayed`);
      assert.equal(results.get(name)?.error, undefined, `${name}: ${results.get(name)?.error?.message ?? ''}`);
    }
  });
});
