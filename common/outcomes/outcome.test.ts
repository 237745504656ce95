import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkLines, eachNewOutcome, outcomesPerChunk, type Outcome } from './outcome';

const outcome = (i: number, arrDelay = i): Outcome => ({
  id: `2013-11-07|UA|${i}|EWR|ORD#realtime:u-${i}`,
  FlightDate: '2013-11-07',
  Source: 'realtime',
  ModelVersion: '3',
  Role: 'champion',
  Predicted: i % 4,
  Actual: 0,
  ArrDelay: arrDelay,
  Probabilities: [1, 0, 0, 0],
  ScoredAt: '2013-11-07T01:00:00.000Z',
});

describe('outcome chunks', () => {
  it('hold at most outcomesPerChunk outcomes, sorted by id, so the same outcomes make the same chunks', () => {
    const many = Array.from({ length: outcomesPerChunk + 3 }, (_, i) => outcome(i));
    const chunks = chunkLines([...many].reverse());
    assert.equal(chunks.length, 2);
    assert.equal(chunks[1]!.split('\n').length, 3);
    assert.deepEqual(chunkLines(many), chunks);
  });

  it('are read back with each outcome once, the first met of each id', () => {
    const a = chunkLines([outcome(1), outcome(2)]);
    const b = chunkLines([outcome(2, 99), outcome(3)]);
    const read: Outcome[] = [];
    const seen = new Set<string>();
    for (const Lines of [...a, ...b]) eachNewOutcome({ Lines }, seen, (o) => read.push(o));
    assert.deepEqual(read.map((o) => [o.id.split('#')[0], o.ArrDelay]), [
      ['2013-11-07|UA|1|EWR|ORD', 1],
      ['2013-11-07|UA|2|EWR|ORD', 2],
      ['2013-11-07|UA|3|EWR|ORD', 3],
    ]);
  });
});
