import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedResult } from '../../test/support/prediction-results';
import { partitionChunk, type StoredResult } from './select-chunk';

describe('partitionChunk', () => {
  const old = '2024-01-01T00:00:00.000Z';

  it('groups a chunk by FlightDate, keeping its order', () => {
    const docs = [storedResult(0, '2024-01-02', old), storedResult(1, '2024-01-01', old), storedResult(2, '2024-01-02', old)];
    const { byDate, unfit } = partitionChunk(docs);
    assert.deepEqual([...byDate.keys()], ['2024-01-02', '2024-01-01']);
    assert.deepEqual(byDate.get('2024-01-02'), [docs[0], docs[2]]);
    assert.deepEqual(byDate.get('2024-01-01'), [docs[1]]);
    assert.deepEqual(unfit, []);
  });

  it('leaves out, with the reason, what the archive cannot hold: a foreign _id, a field the schema refuses', () => {
    const objectId = { ...storedResult(0, '2024-01-02', old), _id: { $oid: '65a0' } } as unknown as StoredResult;
    const noDate = { ...storedResult(1, '2024-01-02', old), FlightDate: 'soon' };
    const textDelay = { ...storedResult(2, '2024-01-02', old), DepDelay: '5' } as unknown as StoredResult;
    const good = storedResult(3, '2024-01-02', old);
    const { byDate, unfit } = partitionChunk([objectId, noDate, textDelay, good]);
    assert.deepEqual([...byDate.values()].flat(), [good]);
    assert.equal(unfit.length, 3);
    assert.match(unfit[0]!.problem, /_id: expected the UUID string/);
    assert.equal(unfit[1]!.id, noDate._id);
    assert.match(unfit[1]!.problem, /FlightDate: expected YYYY-MM-DD/);
    assert.match(unfit[2]!.problem, /DepDelay: expected a finite number/);
  });
});
