import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendExposition, familiesOf } from './exposition';

describe('appendExposition', () => {
  const base = ['# HELP a_total A', '# TYPE a_total counter', 'a_total 1', ''].join('\n');

  it('appends the families of the second text that the first does not declare', () => {
    const extra = ['# HELP temporal_x_total X', '# TYPE temporal_x_total counter', 'temporal_x_total{service_name="temporal-core-sdk"} 3', ''].join('\n');
    const text = appendExposition(base, extra);
    assert.equal(text, `${base}${extra}`);
    assert.deepEqual([...familiesOf(text)], ['a_total', 'temporal_x_total']);
  });

  it('leaves out a family declared twice, its samples with it', () => {
    const extra = [
      '# HELP a_total A again',
      '# TYPE a_total counter',
      'a_total 9',
      '# HELP temporal_h_seconds H',
      '# TYPE temporal_h_seconds histogram',
      'temporal_h_seconds_bucket{le="+Inf"} 2',
      'temporal_h_seconds_sum 0.5',
      'temporal_h_seconds_count 2',
      '',
    ].join('\n');
    const text = appendExposition(base, extra);
    assert.doesNotMatch(text, /a_total 9/);
    assert.equal(text.match(/# TYPE a_total /g)?.length, 1);
    assert.match(text, /^temporal_h_seconds_count 2$/m);
  });

  it('keeps the first text as it is when the second is empty or only comments of none of its families', () => {
    assert.equal(appendExposition(base, ''), base);
    assert.equal(appendExposition(base, '\n'), base);
    assert.equal(appendExposition('a 1', 'b 2\n'), 'a 1\nb 2\n');
  });
});
