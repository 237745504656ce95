import { calendarFields, CalendarFields } from '../models/calendar';
import type { FlightRecord } from '../models/flight';
import { seedFlightDate, seedLocalDateTime } from './seed-timestamps';

/** One JSONL line in the seed's schema, judged: a record to keep, a row to drop, or a malformed row. */
export type SeedRow =
  | { kind: 'kept'; record: FlightRecord; calendarCorrected: boolean }
  | { kind: 'dropped'; noArrDelay: boolean; noDepDelay: boolean }
  | { kind: 'malformed'; reason: string };

const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));

/**
 * What rows share, made once per data set: calendar fields per flight date, converted date-times per
 * raw timestamp, and one copy of each repeated string (airports, carriers, flight numbers), which
 * keeps millions of records from holding millions of copies of "ATL".
 */
export class SharedValues {
  private readonly calendarByDate = new Map<string, CalendarFields>();
  private readonly localDateTimes = new Map<string, string | null>();
  private readonly flightDates = new Map<string, string | null>();
  private readonly strings = new Map<string, string>();

  calendarOf(flightDate: string): CalendarFields {
    let fields = this.calendarByDate.get(flightDate);
    if (!fields) {
      fields = calendarFields(flightDate);
      this.calendarByDate.set(flightDate, fields);
    }
    return fields;
  }

  localDateTime(raw: string): string | null {
    let local = this.localDateTimes.get(raw);
    if (local === undefined) {
      local = seedLocalDateTime(raw);
      this.localDateTimes.set(raw, local);
    }
    return local;
  }

  flightDate(raw: string): string | null {
    let date = this.flightDates.get(raw);
    if (date === undefined) {
      date = seedFlightDate(raw);
      this.flightDates.set(raw, date);
    }
    return date;
  }

  intern(value: string): string {
    const shared = this.strings.get(value);
    if (shared !== undefined) return shared;
    this.strings.set(value, value);
    return value;
  }
}

/** Reads the fields of one row, collecting a problem per bad field instead of stopping at the first. */
class FieldReader {
  readonly problems: string[] = [];

  constructor(private readonly row: Record<string, unknown>, private readonly shared: SharedValues) {}

  requiredString(field: string): string {
    const value = this.row[field];
    if (typeof value === 'string' && value.trim() !== '') return this.shared.intern(value);
    this.problems.push(`${field}: expected a non-empty string, got ${show(value)}`);
    return '';
  }

  optionalString(field: string): string | null {
    const value = this.row[field];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value.trim() !== '') return this.shared.intern(value);
    this.problems.push(`${field}: expected a non-empty string or null, got ${show(value)}`);
    return null;
  }

  /** FlightNum: a string, or a whole number as the seed sometimes wrote it. */
  optionalCode(field: string): string | null {
    const value = this.row[field];
    if (typeof value === 'number' && Number.isInteger(value)) return this.shared.intern(String(value));
    return this.optionalString(field);
  }

  optionalNumber(field: string, unit: string, minimum = -Infinity): number | null {
    const value = this.row[field];
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' && Number.isFinite(value) && value >= minimum) return value;
    const range = minimum === -Infinity ? 'a finite number' : `a finite number ≥ ${minimum}`;
    this.problems.push(`${field}: expected ${range} (${unit}) or null, got ${show(value)}`);
    return null;
  }

  optionalDateTime(field: string): string | null {
    const value = this.row[field];
    if (value === undefined || value === null) return null;
    const local = typeof value === 'string' ? this.shared.localDateTime(value) : null;
    if (local === null) this.problems.push(`${field}: expected an ISO date-time like "2013-01-01T05:15:00", got ${show(value)}`);
    return local;
  }

  flightDate(): { date: string; fields: CalendarFields | null } {
    const raw = this.requiredString('FlightDate');
    if (raw === '') return { date: '', fields: null };
    const date = this.shared.flightDate(raw);
    if (date !== null) {
      try {
        return { date: this.shared.intern(date), fields: this.shared.calendarOf(date) };
      } catch (err) {
        this.problems.push(err instanceof Error ? err.message : String(err));
        return { date, fields: null };
      }
    }
    this.problems.push(`FlightDate: expected a date "YYYY-MM-DD" or an ISO date-time, got ${show(raw)}`);
    return { date: '', fields: null };
  }
}

function storedCalendarDisagrees(row: Record<string, unknown>, fields: CalendarFields): boolean {
  return (['DayOfMonth', 'DayOfWeek', 'DayOfYear'] as const).some(
    (field) => row[field] !== undefined && row[field] !== fields[field],
  );
}

/**
 * Judges one line of a seed-schema JSONL file. Calendar fields are always recomputed from FlightDate
 * with models/calendar.ts; a row whose stored ones disagree is kept and flagged `calendarCorrected`.
 */
export function readSeedRow(line: string, shared: SharedValues): SeedRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return { kind: 'malformed', reason: `not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'malformed', reason: `expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : show(parsed)}` };
  }
  const row = parsed as Record<string, unknown>;
  const read = new FieldReader(row, shared);
  const { date, fields } = read.flightDate();
  const record: FlightRecord = {
    ArrDelay: read.optionalNumber('ArrDelay', 'minutes'),
    CRSArrTime: read.optionalDateTime('CRSArrTime'),
    CRSDepTime: read.optionalDateTime('CRSDepTime'),
    Carrier: read.optionalString('Carrier'),
    DayOfMonth: fields?.DayOfMonth ?? 0,
    DayOfWeek: fields?.DayOfWeek ?? 0,
    DayOfYear: fields?.DayOfYear ?? 0,
    DepDelay: read.optionalNumber('DepDelay', 'minutes'),
    Dest: read.requiredString('Dest'),
    Distance: read.optionalNumber('Distance', 'miles', 0),
    FlightDate: date,
    FlightNum: read.optionalCode('FlightNum'),
    Origin: read.requiredString('Origin'),
  };
  if (read.problems.length > 0 || !fields) return { kind: 'malformed', reason: read.problems.join('; ') };
  if (record.ArrDelay === null || record.DepDelay === null) {
    return { kind: 'dropped', noArrDelay: record.ArrDelay === null, noDepDelay: record.DepDelay === null };
  }
  return { kind: 'kept', record, calendarCorrected: storedCalendarDisagrees(row, fields) };
}
