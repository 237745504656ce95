import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from './registry';

describe('Registry', () => {
  it('writes counters, gauges and cumulative histogram buckets in the Prometheus text format', () => {
    const r = new Registry();
    const c = r.register(new Counter('requests_total', 'Requests'));
    c.inc({ route: '/a', status: '200' });
    c.inc({ status: '200', route: '/a' }, 2);
    c.inc({ route: '/b"x', status: '500' });
    let lag = 7;
    r.register(new Gauge('lag', 'Lag', () => lag));
    const h = r.register(new Histogram('latency_seconds', 'Latency', [0.1, 1]));
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    lag = 9;
    assert.equal(
      r.text(),
      [
        '# HELP requests_total Requests',
        '# TYPE requests_total counter',
        'requests_total{route="/a",status="200"} 3',
        'requests_total{route="/b\\"x",status="500"} 1',
        '# HELP lag Lag',
        '# TYPE lag gauge',
        'lag 9',
        '# HELP latency_seconds Latency',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{le="0.1"} 1',
        'latency_seconds_bucket{le="1"} 2',
        'latency_seconds_bucket{le="+Inf"} 3',
        'latency_seconds_sum 5.55',
        'latency_seconds_count 3',
        '',
      ].join('\n'),
    );
  });
});
