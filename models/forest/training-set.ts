import { ForestError, show } from './errors';
import { aritiesOf, validateFeatureSpecs, type FeatureSpec } from './feature-spec';

/** Labels are bytes, so at most 256 classes. */
export const maxClasses = 256;

export function validateNumClasses(numClasses: unknown, field = 'numClasses'): asserts numClasses is number {
  if (!Number.isInteger(numClasses) || (numClasses as number) < 2 || (numClasses as number) > maxClasses) {
    throw new ForestError(field, `expected an integer in 2..${maxClasses}, got ${show(numClasses)}`);
  }
}

/**
 * Checks a training set against the input contract: X row-major n×d with finite or missing (NaN)
 * numeric values and integer categories below their arity, y class ids below numClasses. Returns the
 * row count.
 */
export function validateTrainingSet(X: unknown, y: unknown, features: unknown, numClasses: unknown): number {
  validateFeatureSpecs(features);
  validateNumClasses(numClasses);
  if (!(X instanceof Float64Array)) throw new ForestError('X', `expected a Float64Array (row-major n×d), got ${show(X)}`);
  if (!(y instanceof Uint8Array)) throw new ForestError('y', `expected a Uint8Array of class ids, got ${show(y)}`);
  const n = y.length;
  const d = features.length;
  if (n === 0) throw new ForestError('y', 'the training set is empty');
  if (X.length !== n * d) {
    throw new ForestError('X', `expected ${n} rows × ${d} features = ${n * d} values (one row per label), got ${X.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (y[i]! >= numClasses) throw new ForestError(`y[row ${i}]`, `label ${y[i]} is not a class id 0..${numClasses - 1}`);
  }
  checkRows(X, n, features);
  return n;
}

/** Checks every value of X (NaN is a missing numeric value); throws naming the row and feature of the first bad one. */
export function checkRows(X: Float64Array, n: number, features: readonly FeatureSpec[]): void {
  const d = features.length;
  const arity = aritiesOf(features);
  for (let i = 0, at = 0; i < n; i++) {
    for (let j = 0; j < d; j++, at++) {
      const v = X[at]!;
      const a = arity[j]!;
      if (a === 0 ? Number.isFinite(v) || Number.isNaN(v) : Number.isInteger(v) && v >= 0 && v < a) continue;
      const field = `X[row ${i}, feature ${features[j]!.name}]`;
      if (Number.isNaN(v)) throw new ForestError(field, 'NaN in a categorical feature (a missing category must be a category of its own)');
      throw new ForestError(field, a === 0 ? `${v} is not finite` : `category ${v} is not an integer in 0..${a - 1} (arity ${a})`);
    }
  }
}
