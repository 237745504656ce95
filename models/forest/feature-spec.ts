import { ForestError, show } from './errors';

/**
 * One input column as the feature pipeline describes it. Categorical values are category indices
 * 0..arity-1 stored as floats; they split as sets of categories, never by order.
 */
export type FeatureSpec = { name: string; kind: 'numeric' } | { name: string; kind: 'categorical'; arity: number };

/** Categories are binned into 16-bit columns. */
export const maxArity = 65536;

/** Checks the feature list of a training set or a saved model; `where` prefixes the field named in errors. */
export function validateFeatureSpecs(features: unknown, where = 'features'): asserts features is FeatureSpec[] {
  if (!Array.isArray(features) || features.length === 0) {
    throw new ForestError(where, `expected a non-empty array of feature specs, got ${show(features)}`);
  }
  const names = new Set<string>();
  features.forEach((f: unknown, j) => {
    const field = `${where}[${j}]`;
    if (typeof f !== 'object' || f === null) throw new ForestError(field, `expected { name, kind }, got ${show(f)}`);
    const { name, kind, arity } = f as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') throw new ForestError(`${field}.name`, `expected a non-empty string, got ${show(name)}`);
    if (names.has(name)) throw new ForestError(`${field}.name`, `duplicate feature name ${show(name)}`);
    names.add(name);
    if (kind === 'categorical') {
      if (!Number.isInteger(arity) || (arity as number) < 1 || (arity as number) > maxArity) {
        throw new ForestError(`${field}.arity`, `feature ${name}: expected an integer in 1..${maxArity}, got ${show(arity)}`);
      }
    } else if (kind !== 'numeric') {
      throw new ForestError(`${field}.kind`, `feature ${name}: expected "numeric" or "categorical", got ${show(kind)}`);
    }
  });
}

/** Per feature: the arity of a categorical feature, 0 for a numeric one. */
export function aritiesOf(features: readonly FeatureSpec[]): Int32Array {
  return Int32Array.from(features, (f) => (f.kind === 'categorical' ? f.arity : 0));
}
