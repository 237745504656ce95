import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PredictionResult } from '../../common/prediction/result';
import { LiveStatsCollector } from './live-stats';

const result = (prediction: number, requestedAt: number): PredictionResult =>
  ({ UUID: `u-${prediction}-${requestedAt}`, Prediction: prediction, RequestTimestamp: new Date(requestedAt).toISOString() }) as PredictionResult;

describe('LiveStatsCollector', () => {
  it('gives the last complete second as the rate, counts by class, and latency percentiles of the last minute', () => {
    let now = 100_000;
    const stats = new LiveStatsCollector(() => now);
    for (let i = 0; i < 10; i++) stats.record(result(i % 4, now - (i + 1) * 10)); // latencies 10..100 ms
    now = 101_000;
    stats.record(result(3, now - 500));
    const s = stats.snapshot({ consumerLag: 4, status: 'running', modelVersion: '2' });
    assert.equal(s.predictionsPerSecond, 10, 'the ten results of second 100');
    assert.equal(s.total, 11);
    assert.deepEqual(s.byClass, [3, 3, 2, 3]);
    assert.deepEqual(s.latencyMs, { p50: 60, p90: 100, p99: 500, count: 11 }, 'nearest rank of 10, 20, …, 100, 500');
    assert.equal(s.consumerLag, 4);
    now += 61_000;
    const later = stats.snapshot({ consumerLag: null, status: 'running', modelVersion: '2' });
    assert.equal(later.predictionsPerSecond, 0);
    assert.deepEqual(later.latencyMs, { p50: null, p90: null, p99: null, count: 0 }, 'older than a minute: forgotten');
    assert.equal(later.total, 11, 'totals stay');
  });
});
