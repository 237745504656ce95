import { calendarFields, hourOf, type CalendarFields } from '../calendar';
import type { FlightColumn } from '../flight';
import { FeatureError } from './feature-error';
import { routeOf } from './delay-classes';
import { dateAndHour, scheduledDateTime, type FlightLookups, type PlaneRow, type WeatherRow } from './lookups';

/** What the pipeline reads from a flight: a training record and a scoring request both fit. */
export interface FlightInput {
  Origin: string;
  Dest: string;
  Carrier?: string | null;
  DepDelay?: number | null;
  Distance?: number | null;
  FlightDate: string;
  CRSDepTime?: string | null;
  /** Read only by the feature sets with lookups: the schedule key (with Carrier, Origin, FlightDate). */
  FlightNum?: string | null;
  /** Read only by the feature sets with lookups; a request without it gets it from the schedule. */
  CRSArrTime?: string | null;
}

export type IndexedColumn = 'Carrier' | 'Origin' | 'Dest' | 'Route';
export type NumericFeature = 'DepDelay' | 'Distance' | 'DayOfMonth' | 'DayOfWeek' | 'DayOfYear' | 'CRSDepHour';
/** The scheduled arrival hour, the weather at the origin at the scheduled departure hour, the aircraft, the origin's scheduled departures. */
export type LookedUpFeature =
  | 'CRSArrHour'
  | 'Temp' | 'Dewp' | 'Humid' | 'WindDir' | 'WindSpeed' | 'Precip' | 'Pressure' | 'Visib'
  | 'PlaneYear' | 'PlaneSeats'
  | 'OriginHourDepartures' | 'OriginDayDepartures'
  | 'ScheduledMinutes' | 'ScheduledMinutesPerMile';
export type FeatureName = NumericFeature | LookedUpFeature | `${IndexedColumn}_index`;

/** The seed's nine features, in the seed's order. */
export const seedFeatures: readonly FeatureName[] = [
  'DepDelay', 'Distance', 'DayOfMonth', 'DayOfWeek', 'DayOfYear',
  'Carrier_index', 'Origin_index', 'Dest_index', 'Route_index',
];

/** The opt-in richer set: the seed's features plus the scheduled departure hour. */
export const richFeatures: readonly FeatureName[] = [...seedFeatures, 'CRSDepHour'];

export const weatherFeatures = ['Temp', 'Dewp', 'Humid', 'WindDir', 'WindSpeed', 'Precip', 'Pressure', 'Visib'] as const satisfies readonly LookedUpFeature[];
export const aircraftFeatures = ['PlaneYear', 'PlaneSeats'] as const satisfies readonly LookedUpFeature[];
export const trafficFeatures = ['OriginHourDepartures', 'OriginDayDepartures'] as const satisfies readonly LookedUpFeature[];
/**
 * The schedule's slack: minutes from the scheduled departure to the scheduled arrival, each in its
 * airport's local time (so a route's time-zone difference is in every value of it alike), and the same
 * per mile. A flight scheduled with more time than others on its route makes up more of a late start.
 */
export const slackFeatures = ['ScheduledMinutes', 'ScheduledMinutesPerMile'] as const satisfies readonly LookedUpFeature[];
const scheduleHours: readonly FeatureName[] = [...richFeatures, 'CRSArrHour'];

/**
 * 'seed' (the default) and 'rich' read the flight alone. The others add looked-up features
 * (lookups.ts): missing ones (no weather that hour, an unknown tail number, a date off the schedule)
 * are NaN, which the estimator bins as missing. In them a flight without CRSDepTime (or CRSArrTime)
 * takes it from the schedule; without either, CRSDepHour is NaN too instead of an error.
 */
export type FeatureSet = 'seed' | 'rich' | 'weather' | 'aircraft' | 'traffic' | 'full';
export const featureSets: Record<FeatureSet, readonly FeatureName[]> = {
  seed: seedFeatures,
  rich: richFeatures,
  weather: [...scheduleHours, ...weatherFeatures],
  aircraft: [...scheduleHours, ...aircraftFeatures],
  traffic: [...scheduleHours, ...trafficFeatures],
  full: [...scheduleHours, ...weatherFeatures, ...aircraftFeatures, ...trafficFeatures, ...slackFeatures],
};
export const featureSetNames = Object.keys(featureSets) as FeatureSet[];
export const isFeatureSet = (v: unknown): v is FeatureSet => typeof v === 'string' && Object.hasOwn(featureSets, v);
/** The feature sets whose features are computed with the lookup tables. */
export const usesLookups = (set: FeatureSet): boolean => set !== 'seed' && set !== 'rich';

/** The data-set column each feature is computed from; a data set without it goes without the feature. */
export const featureSource: Record<FeatureName, FlightColumn> = {
  DepDelay: 'DepDelay',
  Distance: 'Distance',
  DayOfMonth: 'FlightDate',
  DayOfWeek: 'FlightDate',
  DayOfYear: 'FlightDate',
  CRSDepHour: 'CRSDepTime',
  CRSArrHour: 'CRSArrTime',
  Temp: 'CRSDepTime',
  Dewp: 'CRSDepTime',
  Humid: 'CRSDepTime',
  WindDir: 'CRSDepTime',
  WindSpeed: 'CRSDepTime',
  Precip: 'CRSDepTime',
  Pressure: 'CRSDepTime',
  Visib: 'CRSDepTime',
  PlaneYear: 'FlightNum',
  PlaneSeats: 'FlightNum',
  OriginHourDepartures: 'CRSDepTime',
  OriginDayDepartures: 'CRSDepTime',
  ScheduledMinutes: 'CRSArrTime',
  ScheduledMinutesPerMile: 'CRSArrTime',
  Carrier_index: 'Carrier',
  Origin_index: 'Origin',
  Dest_index: 'Dest',
  Route_index: 'Origin',
};

export const indexedColumnOf = (f: FeatureName): IndexedColumn | undefined =>
  f.endsWith('_index') ? (f.slice(0, -'_index'.length) as IndexedColumn) : undefined;

/** The string value of an indexed column, or throws naming the field. */
export function categoryOf(input: FlightInput, column: IndexedColumn): string {
  if (column === 'Route') return routeOf(requiredString(input, 'Origin'), requiredString(input, 'Dest'));
  return requiredString(input, column);
}

/** What the lookups found for one flight: the inputs of its looked-up features. */
export interface LookupContext {
  /** The scheduled departure, the flight's own or the schedule's (`depLookedUp`). */
  depTime: string | undefined;
  depLookedUp: boolean;
  arrTime: string | undefined;
  arrLookedUp: boolean;
  weather: WeatherRow | undefined;
  plane: PlaneRow | undefined;
  departures: Uint16Array | undefined;
  depHour: number | undefined;
  /** The flight's own Distance (NaN without one). */
  distance: number;
}

/** Looks the flight up: its schedule (times, tail number), the weather at its departure hour, its plane, its origin's departures. */
export function lookupContext(input: FlightInput, lookups: FlightLookups): LookupContext {
  const day = lookups.scheduledDay(input.Carrier, input.FlightNum, input.Origin, input.FlightDate);
  const ownDep = present(input.CRSDepTime);
  const ownArr = present(input.CRSArrTime);
  const depTime = ownDep ?? (day ? scheduledDateTime(input.FlightDate, day.Dep) : undefined);
  let arrTime = ownArr;
  if (arrTime === undefined && day) {
    // The arrival is on the next day when its HHMM is before the departure's (as the converter dates it).
    const arrDate = day.Arr < day.Dep ? scheduledDateTime(input.FlightDate, 2400)?.slice(0, 10) : input.FlightDate;
    arrTime = arrDate ? scheduledDateTime(arrDate, day.Arr) : undefined;
  }
  const dep = dateAndHour(depTime);
  return {
    depTime,
    depLookedUp: ownDep === undefined && depTime !== undefined,
    arrTime,
    arrLookedUp: ownArr === undefined && arrTime !== undefined,
    weather: dep ? lookups.weatherAt(input.Origin, dep.date, dep.hour) : undefined,
    plane: lookups.plane(day?.TailNum),
    departures: dep ? lookups.departuresOn(input.Origin, dep.date) : undefined,
    depHour: dep?.hour,
    distance: orNaN(input.Distance),
  };
}

const present = (v: string | null | undefined): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const orNaN = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/**
 * A feature of a set with lookups, from the flight's lookup context: NaN when it is missing.
 * `lookedUp` says whether a value came from a lookup table (a CRSDepHour from the flight's own
 * CRSDepTime did not).
 */
export function lookedUpValue(feature: 'CRSDepHour' | LookedUpFeature, ctx: LookupContext): { value: number; lookedUp: boolean } {
  switch (feature) {
    case 'CRSDepHour':
      return { value: ctx.depTime === undefined ? NaN : hourOf(ctx.depTime, 'CRSDepTime'), lookedUp: ctx.depLookedUp };
    case 'CRSArrHour':
      return { value: ctx.arrTime === undefined ? NaN : hourOf(ctx.arrTime, 'CRSArrTime'), lookedUp: ctx.arrLookedUp };
    case 'PlaneYear':
      return { value: orNaN(ctx.plane?.Year), lookedUp: true };
    case 'PlaneSeats':
      return { value: orNaN(ctx.plane?.Seats), lookedUp: true };
    case 'OriginHourDepartures':
      return { value: ctx.departures && ctx.depHour !== undefined ? ctx.departures[ctx.depHour]! : NaN, lookedUp: true };
    case 'OriginDayDepartures':
      return { value: ctx.departures ? ctx.departures.reduce((a, b) => a + b, 0) : NaN, lookedUp: true };
    case 'ScheduledMinutes':
      return { value: scheduledMinutes(ctx), lookedUp: ctx.depLookedUp || ctx.arrLookedUp };
    case 'ScheduledMinutesPerMile':
      return { value: ctx.distance > 0 ? scheduledMinutes(ctx) / ctx.distance : NaN, lookedUp: ctx.depLookedUp || ctx.arrLookedUp };
    default:
      return { value: orNaN(ctx.weather?.[feature]), lookedUp: true };
  }
}

/** Minutes from the scheduled departure to the scheduled arrival, both read as local date-times; NaN without both. */
function scheduledMinutes(ctx: LookupContext): number {
  if (ctx.depTime === undefined || ctx.arrTime === undefined) return NaN;
  const minutes = (Date.parse(`${ctx.arrTime}Z`) - Date.parse(`${ctx.depTime}Z`)) / 60_000;
  return Number.isFinite(minutes) ? minutes : NaN;
}

/** The value of a numeric feature, or throws naming the field. */
export function numericValue(input: FlightInput, feature: NumericFeature, calendar: (date: string) => CalendarFields): number {
  switch (feature) {
    case 'DepDelay':
      return finiteNumber(input, 'DepDelay');
    case 'Distance': {
      const d = finiteNumber(input, 'Distance');
      if (d <= 0) throw new FeatureError('Distance', `expected a positive number of miles, got ${d}`);
      return d;
    }
    case 'DayOfMonth':
    case 'DayOfWeek':
    case 'DayOfYear':
      return calendar(input.FlightDate)[feature];
    case 'CRSDepHour':
      return hourOf(input.CRSDepTime, 'CRSDepTime');
  }
}

function requiredString(input: FlightInput, field: 'Origin' | 'Dest' | 'Carrier'): string {
  const v = input[field];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new FeatureError(field, `expected a non-empty string, got ${shown(v)}`);
  }
  return v;
}

function finiteNumber(input: FlightInput, field: 'DepDelay' | 'Distance'): number {
  const v = input[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new FeatureError(field, `expected a finite number, got ${shown(v)}`);
  }
  return v;
}

/** A value as an error message should show it: NaN and undefined as themselves, not as JSON's null. */
export const shown = (v: unknown): string =>
  v === undefined ? 'nothing' : typeof v === 'number' ? String(v) : JSON.stringify(v);

/** calendarFields, remembered per date: a year has few dates and a data set millions of rows. */
export function memoizedCalendar(maxEntries = 20_000): (date: string) => CalendarFields {
  const memo = new Map<string, CalendarFields>();
  return (date) => {
    let c = memo.get(date);
    if (!c) {
      c = calendarFields(date);
      if (memo.size >= maxEntries) memo.clear();
      memo.set(date, c);
    }
    return c;
  };
}
