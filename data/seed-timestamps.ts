/**
 * Date-times as the seed's JSONL wrote them, turned into our ISO local date-times ("2015-12-31T11:05:00").
 *
 * The seed built its timestamps as UTC from FlightDate and the HHMM schedule, and Spark then wrote them
 * in the machine's zone, e.g. {"CRSDepTime":"2015-12-31T03:05:00.000-08:00", "DayOfMonth":31,
 * "FlightDate":"2015-12-30T16:00:00.000-08:00"} for a flight of 31 December leaving at 11:05. So a
 * value with an offset is brought back to UTC, whose wall clock is the flight's local time; one
 * without an offset (ours, "2013-01-01T05:15:00") or with "Z" is kept as written.
 */
const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The local date-time "YYYY-MM-DDTHH:MM:SS" a seed timestamp stands for, or null when it is not an ISO date-time. */
export function seedLocalDateTime(value: string): string | null {
  const m = dateTimePattern.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as
    [number, number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const asUtc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (asUtc.getUTCMonth() !== month - 1 || asUtc.getUTCDate() !== day) return null;
  const zone = m[7];
  if (zone === undefined || zone === 'Z') {
    return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${pad2(second)}`;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  return new Date(asUtc.getTime() - offsetMinutes * 60_000).toISOString().slice(0, 19);
}

/** The flight date "YYYY-MM-DD" of a seed FlightDate (a date, or a date-time read as above), or null. */
export function seedFlightDate(value: string): string | null {
  if (datePattern.test(value)) return value;
  return seedLocalDateTime(value)?.slice(0, 10) ?? null;
}
