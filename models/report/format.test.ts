import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, formatPercent, niceTicks } from './format';

describe('format', () => {
  it('groups thousands', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(12345), '12,345');
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(1234.5), '1,234.5');
  });

  it('rounds shares to whole percentages, keeping a small share from reading as none', () => {
    assert.equal(formatPercent(0.6149), '61%');
    assert.equal(formatPercent(0), '0%');
    assert.equal(formatPercent(0.003), '<1%');
    assert.equal(formatPercent(1), '100%');
  });

  it('picks round ticks from 0 to past the largest value', () => {
    assert.deepEqual(niceTicks(0.87).values, [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.equal(niceTicks(0.87).decimals, 1);
    const small = niceTicks(0.038);
    assert.ok(small.max >= 0.038 && small.max <= 0.05, `max ${small.max}`);
    assert.equal(niceTicks(10).max, 10);
    assert.deepEqual(niceTicks(12).values, [0, 2.5, 5, 7.5, 10, 12.5]);
    assert.equal(niceTicks(12).decimals, 1);
    assert.deepEqual(niceTicks(0).values, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
