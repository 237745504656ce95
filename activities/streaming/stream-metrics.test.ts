import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { emptyConsumerStats } from '../../common/contracts/streaming';
import type { PredictionResult } from '../../common/prediction/result';
import type { ResultSink } from './sinks/sink';
import { StreamMetrics } from './stream-metrics';

const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('StreamMetrics', () => {
  it('counts stored batches by consumer and predictions by class, and times request → scored', async () => {
    const registry = new Registry();
    const metrics = new StreamMetrics(registry);
    metrics.stored(0, { consumed: 5, scored: 4, deadLettered: 1 });
    metrics.stored(0, { consumed: 2, scored: 2, deadLettered: 0 });
    const now = Date.parse('2026-01-01T00:00:01.000Z');
    metrics.scoredResults(
      [
        { Prediction: 3, PredictionLabel: 'Very Late (30+ Minutes Late)', RequestTimestamp: '2026-01-01T00:00:00.980Z' },
        { Prediction: 3, PredictionLabel: 'Very Late (30+ Minutes Late)', RequestTimestamp: null },
      ] as PredictionResult[],
      now,
    );
    const text = await registry.metrics();
    assert.equal(sample(text, 'flight_delay_stream_consumed_total{consumer="0"}'), 7);
    assert.equal(sample(text, 'flight_delay_stream_scored_total{consumer="0"}'), 6);
    assert.equal(sample(text, 'flight_delay_stream_dead_lettered_total{consumer="0"}'), 1);
    assert.equal(sample(text, 'flight_delay_stream_predictions_total{class="3",label="Very Late (30+ Minutes Late)"}'), 2);
    // 20 ms, and only the result with a Timestamp.
    assert.equal(sample(text, 'flight_delay_stream_request_to_scored_seconds_count'), 1);
    assert.equal(sample(text, 'flight_delay_stream_request_to_scored_seconds_bucket{le="0.015"}'), 0);
    assert.equal(sample(text, 'flight_delay_stream_request_to_scored_seconds_bucket{le="0.02"}'), 1);
  });

  it("reads lag by partition and the model version from the running consumers' stats, and forgets a consumer that ended", async () => {
    const registry = new Registry();
    const metrics = new StreamMetrics(registry);
    const stats = { ...emptyConsumerStats('consumer-0.1', 0), modelVersion: '7' };
    Object.assign(stats.lagByPartition, { '0': 3, '2': 11 });
    const unfollow = metrics.follow(stats);
    let text = await registry.metrics();
    assert.equal(sample(text, 'flight_delay_stream_lag_messages{partition="0"}'), 3);
    assert.equal(sample(text, 'flight_delay_stream_lag_messages{partition="2"}'), 11);
    assert.equal(sample(text, 'flight_delay_stream_model_info{version="7"}'), 1);
    // A rebalance took partition 2 away; the stats object is updated in place.
    delete stats.lagByPartition['2'];
    stats.lagByPartition['0'] = 0;
    text = await registry.metrics();
    assert.equal(sample(text, 'flight_delay_stream_lag_messages{partition="0"}'), 0);
    assert.equal(sample(text, 'flight_delay_stream_lag_messages{partition="2"}'), undefined);
    unfollow();
    text = await registry.metrics();
    assert.doesNotMatch(text, /^flight_delay_stream_(lag_messages|model_info)\{/m);
  });

  it('times the writes of a sink (not the empty ones) and counts the failed ones', async () => {
    const registry = new Registry();
    const metrics = new StreamMetrics(registry);
    let fail = false;
    const sink: ResultSink = {
      name: 'mongodb',
      accept: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve()),
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const timed = metrics.timed(sink);
    const one = [{}] as PredictionResult[];
    await timed.accept(one);
    await timed.accept(one);
    await timed.accept([]);
    fail = true;
    await assert.rejects(timed.accept(one), /down/);
    await metrics.time('kafka-dead-letter', () => Promise.resolve());
    const text = await registry.metrics();
    assert.equal(sample(text, 'flight_delay_stream_sink_write_duration_seconds_count{sink="mongodb"}'), 2);
    assert.equal(sample(text, 'flight_delay_stream_sink_write_failures_total{sink="mongodb"}'), 1);
    assert.equal(sample(text, 'flight_delay_stream_sink_write_duration_seconds_count{sink="kafka-dead-letter"}'), 1);
  });
});
