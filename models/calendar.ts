/**
 * The one derivation of calendar fields, used by training and scoring alike. The seed system used
 * Spark's dayofweek (Sunday = 1) in training and Python's weekday() (Monday = 0) at prediction time;
 * here both go through this function: ISO day of week, 1 = Monday … 7 = Sunday.
 */
export interface CalendarFields {
  DayOfMonth: number;
  DayOfWeek: number;
  DayOfYear: number;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const msPerDay = 86_400_000;

export class CalendarError extends RangeError {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'CalendarError';
  }
}

/** Parses "YYYY-MM-DD" (a longer ISO date-time is cut to its date) into UTC midnight, or throws naming the field. */
export function parseFlightDate(value: unknown, field = 'FlightDate'): Date {
  if (typeof value !== 'string') throw new CalendarError(field, `expected a date "YYYY-MM-DD", got ${JSON.stringify(value)}`);
  const m = isoDate.exec(value.slice(0, 10));
  if (!m) throw new CalendarError(field, `expected a date "YYYY-MM-DD", got ${JSON.stringify(value)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    throw new CalendarError(field, `${JSON.stringify(value)} is not a calendar date`);
  }
  return date;
}

export function calendarFields(flightDate: string): CalendarFields {
  const date = parseFlightDate(flightDate);
  const yearStart = new Date(0);
  yearStart.setUTCFullYear(date.getUTCFullYear(), 0, 1);
  const startOfYear = yearStart.getTime();
  const jsDay = date.getUTCDay(); // 0 = Sunday
  return {
    DayOfMonth: date.getUTCDate(),
    DayOfWeek: jsDay === 0 ? 7 : jsDay,
    DayOfYear: Math.round((date.getTime() - startOfYear) / msPerDay) + 1,
  };
}

/** The hour (0–23) of an ISO local date-time such as "2013-01-01T05:15:00", or throws naming the field. */
export function hourOf(dateTime: unknown, field: string): number {
  const m = typeof dateTime === 'string' ? /T(\d{2}):\d{2}/.exec(dateTime) : null;
  const hour = m ? Number(m[1]) : NaN;
  if (!(hour >= 0 && hour <= 23)) {
    throw new CalendarError(field, `expected an ISO date-time "YYYY-MM-DDTHH:MM", got ${JSON.stringify(dateTime)}`);
  }
  return hour;
}
