/**
 * The prediction request of Kafka topic `flight-delay-ml-request` (the seed's schema), and the one
 * parser that decides whether a request can be scored: the stream applies it to each message, the API
 * to each request body before it publishes one.
 *
 * Rules, chosen so that a dead letter says exactly what to fix:
 * - UUID: a string with a non-blank character, at most 100 characters, kept as sent.
 * - Origin, Dest, Carrier: strings of 1–10 letters or digits once trimmed; uppercased. Origin ≠ Dest.
 * - DepDelay: a JSON number, finite (minutes). Numeric strings ("5") are rejected: the seed sent
 *   numbers, and one representation keeps "" or "5 min" from turning silently into a delay.
 * - FlightDate: exactly "YYYY-MM-DD", a real calendar date.
 * - Distance: optional (absent or null: looked up later); when sent, a positive finite number of miles.
 * - FlightNum: optional string (≤ 20 printable ASCII characters, trimmed; blank → null) or whole number up to
 *   999,999,999 → string. ASCII, so that "characters" means the same to JSON Schema (code points) and to
 *   JavaScript (UTF-16 units): an emoji is one of the first and two of the second.
 * - Timestamp: optional; an ISO 8601 date-time string (without an offset it is read as UTC) or epoch
 *   time as a number (below 1e11 read as seconds, else milliseconds); normalized to an ISO UTC string.
 * - CRSDepTime: optional ISO local date-time "YYYY-MM-DDTHH:MM…" (only models with the rich feature set use it).
 * - DayOfWeek, DayOfMonth, DayOfYear and any other fields are ignored: the model's pipeline derives the
 *   calendar fields from FlightDate again (one derivation), and unknown keys never reach a sink.
 * A value of an unexpected type (an object such as {"$gt": ""}, an array, a boolean) is rejected by the
 * field's rule.
 */
import { z } from 'zod';
import { asObject, expecting, parseFields, parseJsonObject, shownValue, type FieldCheck } from './message-parsing';

export { shownValue };

/** A request that passed parseRequest: every field valid, normalized, ready to resolve and score. */
export interface FlightRequestMessage {
  UUID: string;
  Origin: string;
  Dest: string;
  Carrier: string;
  DepDelay: number;
  /** "YYYY-MM-DD". */
  FlightDate: string;
  /** Miles, when the request carried its own; null: look it up. */
  Distance: number | null;
  FlightNum: string | null;
  /** ISO UTC string, or null when the request had none. */
  Timestamp: string | null;
  CRSDepTime: string | null;
}

export type ParseResult =
  | { ok: true; request: FlightRequestMessage }
  | { ok: false; reason: string; field?: string };

// Blanks (spaces, tabs) around a code are allowed and trimmed; the pattern says exactly that, so the
// OpenAPI document that carries it accepts what this accepts.
const code = (what: string) =>
  z.string(expecting(`${what} of 1 to 10 letters or digits`)).regex(/^[ \t]*[A-Za-z0-9]{1,10}[ \t]*$/).trim().toUpperCase();

const flightNumRule = expecting('a flight number: a string of at most 20 printable ASCII characters, or a whole number up to 999999999');
const isoDateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i;
const epochSecondsBelow = 1e11;
const timestampRule = expecting('an ISO 8601 date-time string or epoch seconds/milliseconds as a number');
const crsDepTimeRule = expecting('a local date-time "YYYY-MM-DDTHH:MM"');

/**
 * The shape and types of a request, in the order reasons list the fields. Only zod's own checks here
 * (no refine/transform: they cost several microseconds a message); the checks that need code are in
 * `checks` below.
 */
/** An airport code as a request, a query or a form carries it: trimmed and uppercased. */
export const airportCode = code('an airport code');

export const requestFields = {
  Origin: code('an airport code').describe('IATA code of the origin airport'),
  Dest: code('an airport code').describe('IATA code of the destination airport (not the origin)'),
  Carrier: code('a carrier code').describe('carrier code; an unseen one is still scored'),
  DepDelay: z.number(expecting('a finite number of minutes (a JSON number)')).finite().describe('departure delay in minutes'),
  FlightDate: z.string(expecting('a calendar date "YYYY-MM-DD"')).date().describe('the flight\'s date'),
  Distance: z
    .number(expecting('a positive number of miles (or no Distance, to look it up)'))
    .positive()
    .finite()
    .nullable()
    .default(null)
    .describe('miles; left out, it is looked up (origin_dest_distances, then the great circle)'),
  // The length is of the string as sent, before trimming: the rule a document can state.
  FlightNum: z.union([z.string(flightNumRule).max(20).regex(/^[\x20-\x7E]*$/).trim(), z.number(flightNumRule).int().nonnegative().max(999_999_999)], flightNumRule).nullable().default(null),
};

const requestSchema = z.object({
  UUID: z.string(expecting('a non-empty string of at most 100 characters')).max(100).regex(/\S/),
  ...requestFields,
  Timestamp: z.union([z.string(timestampRule).trim().regex(isoDateTime), z.number(timestampRule).nonnegative().finite()], timestampRule)
    .nullable().default(null),
  // The hour as models/calendar.ts hourOf reads it.
  CRSDepTime: z.string(crsDepTimeRule).regex(/T([01]\d|2[0-3]):\d{2}/).nullable().default(null),
});

/**
 * The body a client posts to the API: the request's own fields without those the API derives (UUID,
 * Timestamp); unknown fields refused. Validates the API's bodies and writes their OpenAPI schema.
 */
export const predictionBody = z.object(requestFields).strict();

export type PredictionBody = z.output<typeof predictionBody>;

type RequestShape = z.output<typeof requestSchema>;

/** Epoch milliseconds of a Timestamp that passed the schema; NaN when it is no real date-time ("2016-13-45T99:00"). */
function timestampMs(v: string | number): number {
  if (typeof v === 'number') return v < epochSecondsBelow ? v * 1000 : v;
  const s = v.replace(' ', 'T');
  const ms = Date.parse(hasOffset.test(s) ? s : `${s}Z`);
  return Number.isNaN(new Date(ms).getTime()) ? NaN : ms;
}

/**
 * The rules zod's checks cannot say: each reads the raw field (typed by the schema, or checked here when
 * the schema failed elsewhere) and gives a message, or undefined when the field is fine.
 */
/** A flight goes somewhere else: Dest differs from Origin (requests and actuals alike). */
export const destDiffersFromOrigin: FieldCheck & { field: 'Dest' } = {
  field: 'Dest',
  check: ({ Origin, Dest }) =>
    typeof Origin === 'string' && typeof Dest === 'string' && Origin.trim().toUpperCase() === Dest.trim().toUpperCase()
      ? `same airport as Origin (${Origin.trim().toUpperCase()}); expected a different airport`
      : undefined,
};

const checks: (FieldCheck & { field: keyof RequestShape })[] = [
  destDiffersFromOrigin,
  {
    field: 'Timestamp',
    check: ({ Timestamp }) =>
      (typeof Timestamp === 'string' || typeof Timestamp === 'number') && Number.isNaN(timestampMs(typeof Timestamp === 'string' ? Timestamp.trim() : Timestamp))
        ? `expected an ISO 8601 date-time string or epoch seconds/milliseconds as a number, got ${shownValue(Timestamp)}`
        : undefined,
  },
];

/** A request that passed the schema and the checks, normalized. */
function normalized(r: RequestShape): FlightRequestMessage {
  return {
    ...r,
    FlightNum: r.FlightNum === null || r.FlightNum === '' ? null : String(r.FlightNum),
    Timestamp: r.Timestamp === null ? null : new Date(timestampMs(r.Timestamp)).toISOString(),
  };
}

/**
 * Reads one Kafka message value into a request, or says why it cannot be scored: `reason` names each
 * bad field and its rule ("DepDelay: expected a finite number …, got \"5\""), `field` is the first bad one.
 */
export function parseRequest(value: Buffer | string | null): ParseResult {
  const json = parseJsonObject(value, 'a request');
  return json.ok ? parseRequestObject(json.value) : json;
}

/**
 * The same rules for a value already parsed from JSON (the API's request bodies): a request, or the
 * reason naming each bad field.
 */
export function parseRequestObject(json: unknown): ParseResult {
  const object = asObject(json, 'a request');
  if (!object.ok) return object;
  const parsed = parseFields(requestSchema, checks, object.value);
  return parsed.ok ? { ok: true, request: normalized(parsed.value) } : parsed;
}
