/**
 * What the parsers of the JSON messages that reach the system share (prediction requests, actual
 * arrivals): reading a Kafka value as one JSON object, the wording of a field's rule, and one reason
 * that names every bad field in the order of the message's fields. A dead letter and an API's 400
 * say the same thing because they come from here.
 */
import type { z } from 'zod';

const maxShown = 40;

/** A value as a reason shows it: short, and undefined as "nothing". */
export function shownValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string' && v.length > maxShown) return `${JSON.stringify(v.slice(0, maxShown))}… (${v.length} characters)`;
  const json = JSON.stringify(v) ?? typeof v;
  return json.length > maxShown ? `${json.slice(0, maxShown)}…` : json;
}

/** Every issue of a field's schema says the field's rule and shows what came instead. */
export const expecting = (rule: string): { errorMap: z.ZodErrorMap } => ({
  errorMap: (_issue, ctx) => ({
    message: ctx.data === undefined ? `missing; expected ${rule}` : `expected ${rule}, got ${shownValue(ctx.data)}`,
  }),
});

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; field?: string };

/** A rule zod's own checks cannot say: reads the raw message, gives a message or undefined when the field is fine. */
export interface FieldCheck {
  field: string;
  check: (raw: Record<string, unknown>) => string | undefined;
}

/**
 * A Kafka message value as one JSON object, or why not: a tombstone, an empty value, malformed JSON
 * (with what to do when a producer wrote NaN or Infinity), or JSON that is not an object (`what` names
 * what was expected: "a request").
 */
export function parseJsonObject(value: Buffer | string | null, what: string): Parsed<Record<string, unknown>> {
  if (value === null) return { ok: false, reason: 'malformed JSON: the message has no value (a tombstone?); expected a JSON object' };
  const text = (typeof value === 'string' ? value : value.toString('utf8')).replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, reason: 'malformed JSON: the message is empty; expected a JSON object' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return malformedJson(text, err);
  }
  return asObject(json, what);
}

/** A value parsed from JSON, if it is an object; else why not. */
export function asObject(json: unknown, what: string): Parsed<Record<string, unknown>> {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) return { ok: true, value: json as Record<string, unknown> };
  const got = json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`;
  return { ok: false, reason: `not ${what}: expected a JSON object with the ${what.replace(/^an? /, '')} fields, got ${got}` };
}

/**
 * An object checked by its schema and the checks: the schema's output, or one reason listing each bad
 * field once (its first issue), in the order of the schema's fields, and the first of them as `field`.
 */
export function parseFields<S extends z.AnyZodObject>(schema: S, checks: readonly FieldCheck[], raw: Record<string, unknown>): Parsed<z.output<S>> {
  const parsed = schema.safeParse(raw);
  // One issue per field: a field that breaks two checks of its rule ("" is too short and not a code) says its rule once.
  const issues = new Map<string, string>();
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const path = i.path.join('.') || 'message';
      if (!issues.has(path)) issues.set(path, i.message);
    }
  }
  for (const { field, check } of checks) {
    if (issues.has(field)) continue;
    const message = check(raw);
    if (message) issues.set(field, message);
  }
  if (parsed.success && issues.size === 0) return { ok: true, value: parsed.data };
  const order = Object.keys(schema.shape as object);
  const listed = [...issues].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return { ok: false, reason: listed.map(([path, message]) => `${path}: ${message}`).join('; '), field: listed[0]![0] };
}

/** JSON.parse's complaint, plus what to do when the producer wrote NaN or Infinity (Python's json.dumps does). */
function malformedJson(text: string, err: unknown): Parsed<never> {
  const nonFinite = /"([^"\\]{1,100})"\s*:\s*(-?Infinity|NaN)\b/.exec(text);
  if (nonFinite) {
    return {
      ok: false,
      field: nonFinite[1]!,
      reason: `malformed JSON: ${nonFinite[1]} is ${nonFinite[2]}, which JSON cannot carry; send a finite number`,
    };
  }
  return { ok: false, reason: `malformed JSON: ${err instanceof Error ? err.message : String(err)}` };
}
