import { calendarFields, hourOf, type CalendarFields } from '../calendar';
import type { FlightColumn } from '../flight';
import { FeatureError } from './feature-error';
import { routeOf } from './delay-classes';

/** What the pipeline reads from a flight: a training record and a scoring request both fit. */
export interface FlightInput {
  Origin: string;
  Dest: string;
  Carrier?: string | null;
  DepDelay?: number | null;
  Distance?: number | null;
  FlightDate: string;
  CRSDepTime?: string | null;
}

export type IndexedColumn = 'Carrier' | 'Origin' | 'Dest' | 'Route';
export type NumericFeature = 'DepDelay' | 'Distance' | 'DayOfMonth' | 'DayOfWeek' | 'DayOfYear' | 'CRSDepHour';
export type FeatureName = NumericFeature | `${IndexedColumn}_index`;

/** The seed's nine features, in the seed's order. */
export const seedFeatures: readonly FeatureName[] = [
  'DepDelay', 'Distance', 'DayOfMonth', 'DayOfWeek', 'DayOfYear',
  'Carrier_index', 'Origin_index', 'Dest_index', 'Route_index',
];

/** The opt-in richer set: the seed's features plus the scheduled departure hour. */
export const richFeatures: readonly FeatureName[] = [...seedFeatures, 'CRSDepHour'];

export type FeatureSet = 'seed' | 'rich';
export const featureSets: Record<FeatureSet, readonly FeatureName[]> = { seed: seedFeatures, rich: richFeatures };

/** The data-set column each feature is computed from; a data set without it goes without the feature. */
export const featureSource: Record<FeatureName, FlightColumn> = {
  DepDelay: 'DepDelay',
  Distance: 'Distance',
  DayOfMonth: 'FlightDate',
  DayOfWeek: 'FlightDate',
  DayOfYear: 'FlightDate',
  CRSDepHour: 'CRSDepTime',
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
