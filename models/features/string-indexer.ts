import { checkSerialized } from './feature-error';

/**
 * Spark's StringIndexer (stringOrderType "frequencyDesc", handleInvalid "keep"): the most frequent
 * value gets index 0, ties go alphabetically, and every value not seen in training gets one extra
 * "unknown" index, so unseen carriers, airports and routes are scored instead of crashing the predictor.
 */
export class StringIndexer {
  private readonly index: Map<string, number>;

  private constructor(
    readonly column: string,
    /** Values by index: most frequent first. */
    readonly labels: readonly string[],
  ) {
    this.index = new Map(labels.map((l, i) => [l, i]));
  }

  static fit(column: string, values: Iterable<string>): StringIndexer {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const labels = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([label]) => label);
    return new StringIndexer(column, labels);
  }

  /** The index of `value`; values never seen in training map to {@link unknownIndex}. */
  indexOf(value: string): number {
    return this.index.get(value) ?? this.labels.length;
  }

  get unknownIndex(): number {
    return this.labels.length;
  }

  /** Number of categories, the unknown one included. */
  get arity(): number {
    return this.labels.length + 1;
  }

  toJSON(): { type: 'StringIndexer'; version: 1; column: string; labels: readonly string[] } {
    return { type: 'StringIndexer', version: 1, column: this.column, labels: this.labels };
  }

  static load(json: unknown): StringIndexer {
    const o = checkSerialized(json, 'StringIndexer', 1);
    if (typeof o.column !== 'string') throw new RangeError('StringIndexer.load: column must be a string');
    if (!Array.isArray(o.labels) || !o.labels.every((l) => typeof l === 'string')) {
      throw new RangeError(`StringIndexer.load: labels of ${o.column} must be an array of strings`);
    }
    if (new Set(o.labels).size !== o.labels.length) throw new RangeError(`StringIndexer.load: labels of ${o.column} repeat a value`);
    return new StringIndexer(o.column, o.labels);
  }
}
