/**
 * The one error the forest throws for bad input: options, training data, rows to score, or a saved
 * model. `field` names what was wrong ("options.numTrees", "X[row 12, feature Route]", "json.version")
 * and the message says what was expected.
 */
export class ForestError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ForestError';
  }
}

/** Shows a bad value in a message without dumping a large object. */
export function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
}
