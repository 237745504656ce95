import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deleteBatches, deleteOperations } from './delete-archived';

describe('archived deletes', () => {
  it('cuts the ids, each once, into batches', () => {
    assert.deepEqual(deleteBatches(['e', 'b', 'a', 'b', 'c'], 2), [['e', 'b'], ['a', 'c']]);
    assert.deepEqual(deleteBatches([], 10), []);
    assert.throws(() => deleteBatches(['a'], 0), /delete batch size must be a positive integer, got 0/);
  });

  it('deletes exactly one _id per operation, with nothing else in the filter (FerretDB pushes down only that)', () => {
    assert.deepEqual(deleteOperations(['a1', 'b2']), [{ deleteOne: { filter: { _id: 'a1' } } }, { deleteOne: { filter: { _id: 'b2' } } }]);
  });
});
