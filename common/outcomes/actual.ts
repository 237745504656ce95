/**
 * An actual arrival: what became of a flight, reported after it landed on topic `flight-delay-actuals`
 * (keyed by the flight), through `POST /api/actuals`, or from a file. It is joined to every prediction
 * of the same flight — the realtime ones and the batch ones — by the flight's key.
 *
 * Rules (the request's where the fields are the same; common/prediction/request.ts):
 * - FlightDate, Carrier, Origin, Dest: as in a prediction request. Origin ≠ Dest.
 * - FlightNum: required here (it is part of the key), same forms as a request's.
 * - ArrDelay: a JSON number, finite (minutes; negative: early). The class it falls in is the label.
 * - ArrTime: optional ISO local date-time of the actual arrival.
 */
import { z } from 'zod';
import { arrDelayBucketizer } from '../../models/features/delay-classes';
import { asObject, expecting, parseFields, parseJsonObject, type FieldCheck, type Parsed } from '../prediction/message-parsing';
import { destDiffersFromOrigin, requestFields } from '../prediction/request';

export interface FlightActual {
  /** "YYYY-MM-DD". */
  FlightDate: string;
  Carrier: string;
  FlightNum: string;
  Origin: string;
  Dest: string;
  /** Minutes; negative: early. */
  ArrDelay: number;
  /** The actual arrival, ISO local date-time, when known. */
  ArrTime: string | null;
}

/** The fields that name a flight: one actual per key, joined to each prediction with the same key. */
export type FlightKeyFields = Pick<FlightActual, 'FlightDate' | 'Carrier' | 'FlightNum' | 'Origin' | 'Dest'>;

/**
 * `FlightDate|Carrier|FlightNum|Origin|Dest`: the Kafka key of an actual and the start of every `_id` the
 * join stores. FlightNum is URI-encoded (digits and letters stay as they are), so that a key never holds
 * a character JSON escapes: the stack's MongoDB-protocol server finds ids by prefix only for such keys.
 */
export const flightKey = (f: FlightKeyFields): string => `${f.FlightDate}|${f.Carrier}|${encodeURIComponent(f.FlightNum)}|${f.Origin}|${f.Dest}`;

const flightNumRule = expecting('a flight number: a string of 1 to 20 printable ASCII characters, or a whole number up to 999999999');
const arrTimeRule = expecting('a local date-time "YYYY-MM-DDTHH:MM"');

/** The body of one actual as the API takes it and the topic carries it; unknown fields refused. */
export const actualBody = z
  .object({
    FlightDate: requestFields.FlightDate,
    Carrier: requestFields.Carrier,
    FlightNum: z.union([z.string(flightNumRule).max(20).regex(/^[ \t]*[\x21-\x7E][\x20-\x7E]*$/).trim(), z.number(flightNumRule).int().nonnegative().max(999_999_999)], flightNumRule)
      .describe('the flight number, part of the flight\'s key'),
    Origin: requestFields.Origin,
    Dest: requestFields.Dest,
    ArrDelay: z.number(expecting('a finite number of minutes (a JSON number)')).finite().describe('the actual arrival delay in minutes (negative: early)'),
    ArrTime: z.string(arrTimeRule).regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]/).nullable().default(null).describe('the actual arrival, local date-time, when known'),
  })
  .strict();

export type ActualBody = z.output<typeof actualBody>;

const checks: FieldCheck[] = [destDiffersFromOrigin];

export type ActualParse = { ok: true; actual: FlightActual } | { ok: false; reason: string; field?: string };

const normalized = (b: ActualBody): FlightActual => ({ ...b, FlightNum: String(b.FlightNum) });

/** Reads one Kafka message value into an actual, or says why not, naming each bad field. */
export function parseActual(value: Buffer | string | null): ActualParse {
  const json = parseJsonObject(value, 'an actual');
  return json.ok ? parseActualObject(json.value) : json;
}

/** The same rules for a value already parsed from JSON. */
export function parseActualObject(json: unknown): ActualParse {
  const object = asObject(json, 'an actual');
  if (!object.ok) return object;
  const parsed: Parsed<ActualBody> = parseFields(actualBody, checks, object.value);
  return parsed.ok ? { ok: true, actual: normalized(parsed.value) } : parsed;
}

/** The delay class (0–3, the model's classes) an actual arrival delay falls in. */
export const actualClass = (arrDelay: number): number => arrDelayBucketizer.bucket(arrDelay);
