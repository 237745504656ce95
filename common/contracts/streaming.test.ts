import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyConsumerStats, streamTotals, type ConsumerStats } from './streaming';

const consumer = (slot: number, fields: Partial<ConsumerStats>): ConsumerStats => ({ ...emptyConsumerStats(`consumer-${slot}.1`, slot), ...fields });

describe('the stream stats totals', () => {
  it('add the retired consumers to the live ones', () => {
    const totals = streamTotals({ consumed: 10, scored: 9, deadLettered: 1, batches: 2 }, [
      consumer(0, { consumed: 100, scored: 98, deadLettered: 2, batches: 5, throughputPerSecond: 40, inFlight: 3 }),
      consumer(1, { consumed: 50, scored: 50, batches: 1, throughputPerSecond: 20 }),
    ]);
    assert.deepEqual(
      { consumed: totals.consumed, scored: totals.scored, deadLettered: totals.deadLettered, batches: totals.batches, throughput: totals.throughputPerSecond, inFlight: totals.inFlight },
      { consumed: 160, scored: 157, deadLettered: 3, batches: 8, throughput: 60, inFlight: 3 },
    );
  });

  it("take each partition's lag from the latest report that holds it, so a rebalance does not count a partition twice", () => {
    const totals = streamTotals({ consumed: 0, scored: 0, deadLettered: 0, batches: 0 }, [
      // Held partition 2 before the rebalance; its old figure for it must not count.
      consumer(0, { partitions: [0, 1], lagByPartition: { 0: 5, 1: 7, 2: 1000 }, reportedAt: '2026-01-01T00:00:00.000Z', modelVersion: '3' }),
      consumer(1, { partitions: [2], lagByPartition: { 2: 11 }, reportedAt: '2026-01-01T00:00:05.000Z', modelVersion: '4' }),
    ]);
    assert.equal(totals.consumerLag, 5 + 7 + 11);
    assert.equal(totals.modelVersion, '4', 'the model of the latest report');
  });
});
