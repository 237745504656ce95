import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveSeed, Random } from './random';

const draw = (r: Random, n: number): number[] => Array.from({ length: n }, () => r.nextUint32());

describe('Random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    assert.deepEqual(draw(new Random(42), 20), draw(new Random(42), 20));
    assert.notDeepEqual(draw(new Random(42), 20), draw(new Random(43), 20));
    assert.notDeepEqual(draw(new Random(0), 20), draw(new Random(2 ** 32), 20));
  });

  it('derives independent, reproducible child seeds', () => {
    const seeds = Array.from({ length: 1000 }, (_, i) => deriveSeed(42, 2, i));
    assert.equal(new Set(seeds).size, 1000);
    assert.deepEqual(seeds, Array.from({ length: 1000 }, (_, i) => deriveSeed(42, 2, i)));
    assert.notEqual(deriveSeed(42, 1, 0), deriveSeed(42, 2, 0));
    assert.deepEqual(draw(new Random(7).child(3), 5), draw(new Random(deriveSeed(7, 3)), 5));
  });

  it('draws floats in [0, 1) and integers in [0, n) uniformly', () => {
    const r = new Random(1);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const f = r.nextFloat();
      assert.ok(f >= 0 && f < 1);
      counts[r.nextInt(10)]!++;
    }
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `bucket count ${c}`);
    assert.throws(() => r.nextInt(0), RangeError);
  });

  it('draws Poisson and normal values with the right mean and variance', () => {
    const r = new Random(5);
    const n = 100_000;
    const p = Array.from({ length: n }, () => r.nextPoisson(1));
    const z = Array.from({ length: n }, () => r.nextNormal());
    const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
    const variance = (a: number[]): number => {
      const m = mean(a);
      return mean(a.map((v) => (v - m) ** 2));
    };
    assert.ok(Math.abs(mean(p) - 1) < 0.02 && Math.abs(variance(p) - 1) < 0.03);
    assert.ok(Math.abs(mean(z)) < 0.02 && Math.abs(variance(z) - 1) < 0.03);
  });

  it('rejects a seed that is not a safe integer', () => {
    assert.throws(() => new Random(1.5), /Random seed/);
    assert.throws(() => deriveSeed(Number.NaN), /deriveSeed seed/);
  });
});
