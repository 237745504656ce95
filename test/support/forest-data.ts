import { Random } from '../../models/random';
import type { FeatureSpec } from '../../models/forest';

export interface SyntheticOptions {
  rows: number;
  /** Numeric features that carry signal (num0, num1, …). */
  numeric?: number;
  /** Numeric features of pure noise (noise0, …). */
  noise?: number;
  /** Arities of the categorical features (cat0, …); frequencies are skewed like airports and routes. */
  arities?: number[];
  numClasses?: number;
  seed?: number;
}

export interface SyntheticSet {
  X: Float64Array;
  y: Uint8Array;
  features: FeatureSpec[];
  numClasses: number;
}

/**
 * A seeded stand-in for the flight data: a latent delay score made of linear and step effects of the
 * numeric features, a random effect per category, and noise, cut into ordered classes whose shares
 * fall like delay buckets (4 classes: 40 %, 30 %, 20 %, 10 %). For the forest's unit tests.
 */
export function syntheticSet(options: SyntheticOptions): SyntheticSet {
  const { rows: n, numeric = 3, noise = 1, arities = [20, 300, 5000], numClasses = 4, seed = 7 } = options;
  const rng = new Random(seed);
  const features: FeatureSpec[] = [
    ...Array.from({ length: numeric }, (_, i): FeatureSpec => ({ name: `num${i}`, kind: 'numeric' })),
    ...Array.from({ length: noise }, (_, i): FeatureSpec => ({ name: `noise${i}`, kind: 'numeric' })),
    ...arities.map((arity, i): FeatureSpec => ({ name: `cat${i}`, kind: 'categorical', arity })),
  ];
  const d = features.length;
  const effects = arities.map((a) => Float64Array.from({ length: a }, () => 0.8 * rng.nextNormal()));
  const X = new Float64Array(n * d);
  const score = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0.7 * rng.nextNormal();
    let j = r * d;
    for (let i = 0; i < numeric; i++, j++) {
      const x = Math.round(100 * rng.nextNormal()) / 100;
      X[j] = x;
      s += (i % 2 === 0 ? x : x > 0.5 ? 1 : -0.4) / (i + 1);
    }
    for (let i = 0; i < noise; i++, j++) X[j] = Math.round(100 * rng.nextNormal()) / 100;
    arities.forEach((a, i) => {
      const u = rng.nextFloat();
      const c = Math.floor(a * u * u);
      X[j++] = c;
      s += effects[i]![c]!;
    });
    score[r] = s;
  }
  const sample = score.slice(0, Math.min(n, 20_000)).sort();
  const weight = (c: number): number => numClasses - c;
  const totalWeight = Array.from({ length: numClasses }, (_, c) => weight(c)).reduce((a, b) => a + b, 0);
  const cuts: number[] = [];
  for (let c = 0, share = 0; c < numClasses - 1; c++) {
    share += weight(c) / totalWeight;
    cuts.push(sample[Math.min(sample.length - 1, Math.floor(share * sample.length))]!);
  }
  const y = Uint8Array.from(score, (s) => cuts.filter((cut) => s > cut).length);
  return { X, y, features, numClasses };
}

/** Splits a set into its first `trainRows` rows and the rest (the rows are already in random order). */
export function splitRows(set: SyntheticSet, trainRows: number): [SyntheticSet, SyntheticSet] {
  const d = set.features.length;
  const part = (from: number, to: number): SyntheticSet => ({
    ...set,
    X: set.X.slice(from * d, to * d),
    y: set.y.slice(from, to),
  });
  return [part(0, trainRows), part(trainRows, set.y.length)];
}
