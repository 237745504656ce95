import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resultsToParquet } from '../../common/prediction/parquet-schema';
import { parquetUuids, uuidMismatch } from './archive-file';
import { storedResult } from '../../test/support/prediction-results';

describe('archive verification', () => {
  it('reads the UUIDs of a written file back, in order', async () => {
    const results = Array.from({ length: 1_200 }, (_, i) => storedResult(i, '2024-01-15', '2024-01-15T10:00:00.000Z'));
    const bytes = Buffer.from(await resultsToParquet(results));
    assert.deepEqual(await parquetUuids(bytes), results.map((r) => r.UUID));
  });

  it('accepts exactly the expected set and names what is off otherwise', () => {
    assert.equal(uuidMismatch(['b', 'a', 'c'], ['a', 'b', 'c']), undefined);
    assert.equal(uuidMismatch(['a', 'b'], ['a', 'b', 'c']), '2 rows, expected 3');
    assert.equal(uuidMismatch(['a', 'b', 'x'], ['a', 'b', 'c']), "UUID x is not one of the chunk's");
    assert.equal(uuidMismatch(['a', 'a', 'b'], ['a', 'b', 'c']), 'UUID a is in the file twice');
  });
});
