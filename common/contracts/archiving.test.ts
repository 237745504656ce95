import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { archivingDefaults, resolveArchivingInput, type ArchiveRealtimeResultsInput } from './archiving';

describe('archiving input', () => {
  it('fills in every default', () => {
    assert.deepEqual(resolveArchivingInput({}), { ...archivingDefaults, retry: { ...archivingDefaults.retry } });
    assert.deepEqual(resolveArchivingInput({ sizeThresholdBytes: 0, retry: { maximumAttempts: 2 } }).retry, { initialIntervalSeconds: 10, maximumAttempts: 2 });
    assert.equal(resolveArchivingInput({ sizeThresholdBytes: 0 }).sizeThresholdBytes, 0);
  });

  const bad: [ArchiveRealtimeResultsInput, RegExp][] = [
    [{ sizeThresholdBytes: -1 }, /^sizeThresholdBytes must be a number of bytes ≥ 0/],
    [{ olderThanDays: Number.NaN }, /^olderThanDays must be a number ≥ 0/],
    [{ chunkSize: 0 }, /^chunkSize must be an integer from 1 to 500000, got 0/],
    [{ chunkSize: 2.5 }, /^chunkSize/],
    [{ hdfsDir: 'archive' }, /^hdfsDir must be an absolute HDFS path/],
    [{ maxChunks: 0 }, /^maxChunks/],
    [{ retry: { initialIntervalSeconds: 0 } }, /^retry.initialIntervalSeconds must be positive/],
    [{ retry: { maximumAttempts: 0 } }, /^retry.maximumAttempts/],
    [{ heartbeatTimeoutSeconds: 5 }, /^heartbeatTimeoutSeconds must be at least 10/],
    [{ olderThanDays: '3' } as unknown as ArchiveRealtimeResultsInput, /^olderThanDays/],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input)}, naming the field`, () => {
      assert.throws(() => resolveArchivingInput(input), (err: unknown) => err instanceof RangeError && message.test(err.message));
    });
  }
});
