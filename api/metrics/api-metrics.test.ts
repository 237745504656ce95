import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PredictionResult } from '../../common/prediction/result';
import { ApiMetrics } from './api-metrics';

const result = (over: Partial<PredictionResult>): PredictionResult =>
  ({ UUID: 'u', Prediction: 2, PredictionLabel: 'Slightly Late (0-30 Minute Delay)', RequestTimestamp: null, ...over }) as PredictionResult;

describe('ApiMetrics', () => {
  it('writes process metrics, predictions by class, their latency and the lag, all labelled process="api"', async () => {
    let lag: number | null = 7;
    const metrics = new ApiMetrics(() => lag);
    metrics.recordPrediction(result({ RequestTimestamp: new Date(Date.now() - 40).toISOString() }));
    metrics.recordPrediction(result({}));
    let text = await metrics.text();
    assert.match(text, /^process_cpu_seconds_total\{process="api"\} /m);
    assert.match(text, /^flight_delay_predictions_total\{class="2",label="Slightly Late \(0-30 Minute Delay\)",process="api"\} 2$/m);
    // Only the result with a Timestamp has a latency; 40 ms falls in the 0.05 s bucket, not in 0.03.
    assert.match(text, /^flight_delay_prediction_latency_seconds_count\{process="api"\} 1$/m);
    assert.match(text, /^flight_delay_prediction_latency_seconds_bucket\{le="0.03",process="api"\} 0$/m);
    assert.match(text, /^flight_delay_prediction_latency_seconds_bucket\{le="0.05",process="api"\} 1$/m);
    assert.match(text, /^flight_delay_stream_consumer_lag\{process="api"\} 7$/m);
    lag = null;
    text = await metrics.text();
    assert.doesNotMatch(text, /^flight_delay_stream_consumer_lag\{/m, 'no sample while the lag is unknown');
  });
});
