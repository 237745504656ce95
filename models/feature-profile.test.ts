import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binOf, FeatureBinCounts, fitFeatureProfile, profileCodes } from './feature-profile';
import { Random } from './random';

const specs = [
  { name: 'DepDelay', kind: 'numeric' as const },
  { name: 'Carrier_index', kind: 'categorical' as const, arity: 30 },
];

/** Rows of [DepDelay, Carrier] drawn from a known distribution: DepDelay uniform on [lo, lo + 100), carriers 0..29 with weights ∝ 1/(c+1). */
function sample(n: number, seed: number, lo = 0, carrierShift = 0): Float64Array {
  const random = new Random(seed);
  const rand = (): number => random.nextFloat();
  const weights = Array.from({ length: 30 }, (_, c) => 1 / (c + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const x = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    x[i * 2] = lo + rand() * 100;
    let u = rand() * total;
    let c = 0;
    while (u > weights[c]! && c < 29) u -= weights[c++]!;
    x[i * 2 + 1] = (c + carrierShift) % 30;
  }
  return x;
}

describe('feature profile', () => {
  const profile = fitFeatureProfile(sample(50_000, 1), specs);

  it('bins a numeric feature by its training deciles, with a bin for missing values', () => {
    const f = profile.features[0]!;
    assert.equal(f.kind, 'numeric');
    assert.equal(f.shares.length, 11);
    // Deciles of uniform [0, 100): edges near 10, 20, …, 90; each of the ten value bins about a tenth.
    if (f.kind === 'numeric') f.edges.forEach((e, i) => assert.ok(Math.abs(e - 10 * (i + 1)) < 1.5, `edge ${i}: ${e}`));
    for (const s of f.shares.slice(0, 10)) assert.ok(Math.abs(s - 0.1) < 0.01, `share ${s}`);
    assert.equal(f.shares[10], 0);
    assert.equal(binOf(f, -5), 0);
    assert.equal(binOf(f, 1e9), 9);
    assert.equal(binOf(f, Number.NaN), 10);
  });

  it('bins a categorical feature by its most frequent categories, then other, then missing', () => {
    const f = profile.features[1]!;
    assert.equal(f.kind, 'categorical');
    if (f.kind !== 'categorical') return;
    assert.deepEqual(f.categories.slice(0, 3), [0, 1, 2]);
    assert.equal(f.categories.length, 20);
    assert.equal(binOf(f, 0), 0);
    assert.equal(binOf(f, 29), 20);
    assert.equal(binOf(f, Number.NaN), 21);
    assert.ok(Math.abs(f.shares.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it('codes a row one character a feature, and counts codes back into the same bins', () => {
    const x = new Float64Array([55, 2, Number.NaN, 29]);
    assert.equal(profileCodes(profile, x, 0), '52');
    assert.equal(profileCodes(profile, x, 1), 'ak', 'missing DepDelay (bin 10), an other carrier (bin 20)');
    const acc = new FeatureBinCounts();
    assert.equal(acc.add('52'), true);
    assert.equal(acc.add('5'), false, 'codes of another width are not counted');
    assert.equal(acc.add('5~'), false);
    assert.equal(acc.rows, 1);
    assert.deepEqual(acc.drift(profile).map((d) => d.feature), ['DepDelay', 'Carrier_index']);
    assert.deepEqual(acc.drift({ rows: 1, features: [profile.features[0]!] }), [], 'codes of another profile: no drift');
  });

  const driftOf = (x: Float64Array): number[] => {
    const acc = new FeatureBinCounts();
    for (let i = 0; i < x.length / 2; i++) acc.add(profileCodes(profile, x, i));
    return acc.drift(profile).map((d) => d.psi);
  };

  it('measures no drift on another sample of the training distribution', () => {
    const [delay, carrier] = driftOf(sample(20_000, 2));
    assert.ok(delay! < 0.01, `DepDelay PSI ${delay}`);
    assert.ok(carrier! < 0.01, `Carrier PSI ${carrier}`);
  });

  it('measures the drift of a shifted feature, and only of that one', () => {
    // DepDelay moved up by 30 minutes: three deciles' worth of mass leaves the low bins.
    const [delay, carrier] = driftOf(sample(20_000, 3, 30));
    assert.ok(delay! > 0.25, `DepDelay PSI ${delay}`);
    assert.ok(carrier! < 0.01, `Carrier PSI ${carrier}`);
    // Carriers relabelled: the most frequent category becomes the tenth.
    const [delay2, carrier2] = driftOf(sample(20_000, 4, 0, 10));
    assert.ok(delay2! < 0.01, `DepDelay PSI ${delay2}`);
    assert.ok(carrier2! > 0.25, `Carrier PSI ${carrier2}`);
  });
});
