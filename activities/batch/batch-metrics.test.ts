import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { BatchMetrics } from './batch-metrics';

const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('BatchMetrics', () => {
  it('times chunks by outcome, counts the rows of the finished ones and times a date from its start', async () => {
    const registry = new Registry();
    const metrics = new BatchMetrics(registry);
    assert.deepEqual(await metrics.chunk(() => Promise.resolve({ scored: 90, rejected: 10 })), { scored: 90, rejected: 10 });
    await assert.rejects(metrics.chunk(() => Promise.reject(new Error('HDFS away'))), /HDFS away/);
    metrics.dateFinished('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:02:00Z'));
    metrics.dateFinished(undefined);
    const text = await registry.metrics();
    assert.equal(value(text, 'flight_delay_batch_chunk_duration_seconds_count{outcome="ok"}'), 1);
    assert.equal(value(text, 'flight_delay_batch_chunk_duration_seconds_count{outcome="failed"}'), 1);
    assert.equal(value(text, 'flight_delay_batch_rows_total{outcome="scored"}'), 90);
    assert.equal(value(text, 'flight_delay_batch_rows_total{outcome="rejected"}'), 10);
    assert.equal(value(text, 'flight_delay_batch_date_duration_seconds_count'), 1, 'a date without its start is not observed');
    assert.equal(value(text, 'flight_delay_batch_date_duration_seconds_sum'), 120);
  });
});
