import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { TrainingMetrics } from './training-metrics';

describe('TrainingMetrics', () => {
  it('times each stage by outcome and passes its value or error through', async () => {
    const registry = new Registry();
    const metrics = new TrainingMetrics(registry);
    assert.equal(await metrics.stage('trainForest', () => Promise.resolve(42)), 42);
    await assert.rejects(metrics.stage('prepareFeatures', () => Promise.reject(new Error('no data set'))), /no data set/);
    const text = await registry.metrics();
    assert.match(text, /^flight_delay_training_stage_duration_seconds_count\{stage="trainForest",outcome="ok"\} 1$/m);
    assert.match(text, /^flight_delay_training_stage_duration_seconds_count\{stage="prepareFeatures",outcome="failed"\} 1$/m);
  });
});
