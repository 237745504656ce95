/** Small helpers shared by the forest's unit tests (models/forest/*.test.ts). */
import { RandomForestClassifier, type ForestOptions } from '../../models/forest';
import type { SyntheticSet } from './forest-data';

export function accuracy(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < actual.length; i++) if (predicted[i] === actual[i]) hits++;
  return hits / actual.length;
}

/** The share of the most frequent class: the accuracy of always predicting it. */
export function majorityShare(y: Uint8Array, numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  for (const c of y) counts[c]!++;
  return Math.max(...counts) / y.length;
}

/** The rows of a set as number[][] (what ml-random-forest takes). */
export function toRows(set: SyntheticSet): number[][] {
  const d = set.features.length;
  return Array.from({ length: set.y.length }, (_, i) => Array.from(set.X.subarray(i * d, (i + 1) * d)));
}

export function fitForest(set: SyntheticSet, options: Partial<ForestOptions> = {}): Promise<RandomForestClassifier> {
  return new RandomForestClassifier({ threads: 1, ...options }).fit(set.X, set.y, set.features, set.numClasses);
}
