import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../random';
import { binOf, maxSampleRows, numericThresholds, thresholdsOf } from './binning';

describe('numeric binning', () => {
  it('puts x in the first bin whose threshold is ≥ x', () => {
    const rng = new Random(2);
    for (let size = 0; size < 40; size++) {
      const t = Float64Array.from({ length: size }, () => rng.nextNormal()).sort();
      const xs = [...Array.from({ length: 50 }, () => rng.nextNormal() * 2), ...t, Infinity, -Infinity];
      for (const x of xs) assert.equal(binOf(t, x), t.filter((v) => v < x).length, `x ${x}, ${size} thresholds`);
    }
  });

  it('splits between every pair of distinct values when they fit, else at equal frequencies', () => {
    assert.deepEqual(Array.from(thresholdsOf(Float64Array.from([1, 1, 2, 4, 4, 4]), 32)), [1.5, 3]);
    assert.equal(thresholdsOf(Float64Array.from([5, 5, 5]), 32).length, 0);
    const values = Float64Array.from({ length: 10_000 }, (_, i) => i % 1000).sort();
    const t = thresholdsOf(values, 32);
    assert.ok(t.length <= 31 && t.length >= 25, `${t.length} thresholds`);
    const counts = new Array<number>(t.length + 1).fill(0);
    for (const v of values) counts[binOf(t, v)]!++;
    assert.ok(Math.max(...counts) < 3 * (values.length / 32), `bin sizes ${counts.join(' ')}`);
  });

  it('computes thresholds from a seeded sample when there are more rows than it holds', () => {
    const n = maxSampleRows + 20_000;
    const rng = new Random(8);
    const X = Float64Array.from({ length: n }, () => rng.nextNormal());
    const features = [{ name: 'x', kind: 'numeric' as const }];
    const a = numericThresholds(X, n, features, 32, 1)[0]!;
    assert.deepEqual(a, numericThresholds(X, n, features, 32, 1)[0]);
    assert.notDeepEqual(a, numericThresholds(X, n, features, 32, 2)[0]);
    assert.equal(a.length, 31);
  });
});
