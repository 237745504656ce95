/** A value the pipeline cannot turn into a feature; names the field so that callers can report it. */
export class FeatureError extends RangeError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'FeatureError';
  }
}

/** Checks that `json` is a serialized object of the given type and version, or throws a RangeError naming what is wrong. */
export function checkSerialized(json: unknown, type: string, version: number): Record<string, unknown> {
  if (typeof json !== 'object' || json === null) throw new RangeError(`${type}.load: expected an object, got ${typeof json}`);
  const o = json as Record<string, unknown>;
  if (o.type !== type) throw new RangeError(`${type}.load: type is ${JSON.stringify(o.type)}, expected "${type}"`);
  if (o.version !== version) throw new RangeError(`${type}.load: version ${JSON.stringify(o.version)} is not supported (expected ${version})`);
  return o;
}
