import { checkSerialized } from './feature-error';

/**
 * Spark's Bucketizer: bucket i holds values in [splits[i], splits[i+1]); the last bucket also holds
 * its upper bound. The seed bucketed ArrDelay with splits [-inf, -15, 0, 30, +inf].
 */
export class Bucketizer {
  constructor(readonly splits: readonly number[]) {
    if (splits.length < 3) throw new RangeError(`Bucketizer: need at least 3 splits (2 buckets), got ${splits.length}`);
    for (let i = 1; i < splits.length; i++) {
      if (!(splits[i]! > splits[i - 1]!)) throw new RangeError(`Bucketizer: splits must increase strictly, got ${JSON.stringify(splits)}`);
    }
  }

  get numBuckets(): number {
    return this.splits.length - 1;
  }

  /** The bucket of `value`, or -1 when it is NaN or outside the splits. */
  bucket(value: number): number {
    const s = this.splits;
    if (Number.isNaN(value) || value < s[0]! || value > s[s.length - 1]!) return -1;
    let lo = 0;
    let hi = s.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (value >= s[mid]!) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  toJSON(): { type: 'Bucketizer'; version: 1; splits: (number | string)[] } {
    // JSON has no infinities: write them as strings.
    return { type: 'Bucketizer', version: 1, splits: this.splits.map((x) => (Number.isFinite(x) ? x : String(x))) };
  }

  static load(json: unknown): Bucketizer {
    const o = checkSerialized(json, 'Bucketizer', 1);
    if (!Array.isArray(o.splits)) throw new RangeError('Bucketizer.load: splits must be an array');
    return new Bucketizer(o.splits.map((x) => (x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : Number(x))));
  }
}
