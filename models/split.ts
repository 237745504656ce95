/**
 * A seeded train/test split by row position: row i is held out when a hash of (seed, i) falls below
 * `testFraction`. The same data in the same order and the same seed always give the same split, so
 * two models can be compared on the same held-out rows.
 */
export interface Split {
  train: Uint32Array;
  test: Uint32Array;
}

export function trainTestSplit(rows: number, testFraction = 0.2, seed = 42): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  if (!Number.isInteger(seed)) throw new RangeError(`trainTestSplit: seed must be an integer, got ${seed}`);
  const threshold = Math.floor(testFraction * 2 ** 32);
  const isTest = new Uint8Array(rows);
  let tests = 0;
  for (let i = 0; i < rows; i++) {
    if (hash32(seed, i) < threshold) {
      isTest[i] = 1;
      tests++;
    }
  }
  const train = new Uint32Array(rows - tests);
  const test = new Uint32Array(tests);
  for (let i = 0, a = 0, b = 0; i < rows; i++) {
    if (isTest[i]) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}

/** A 32-bit mix of two integers (murmur3's finalizer over a combined key): uniform and fast. */
function hash32(seed: number, i: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(i, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The rows of `items` at `indices`. */
export const pick = <T>(items: readonly T[], indices: Uint32Array): T[] => Array.from(indices, (i) => items[i]!);
