/**
 * A historical flight in the seed system's schema (`simple_flight_delay_features.jsonl`).
 * Data sets that lack a column (the 3-million-row set has no Carrier or DepDelay) leave it null and
 * say so in their `columns`; the feature pipeline then leaves out the features built from it.
 */
export interface FlightRecord {
  /** Arrival delay in minutes (negative: early). The label is bucketed from it. */
  ArrDelay: number | null;
  /** Scheduled arrival and departure, ISO local date-times ("2013-01-01T05:15:00"). */
  CRSArrTime: string | null;
  CRSDepTime: string | null;
  Carrier: string | null;
  DayOfMonth: number;
  /** 1 = Monday … 7 = Sunday, in training and in scoring alike (see calendar.ts). */
  DayOfWeek: number;
  DayOfYear: number;
  /** Departure delay in minutes. */
  DepDelay: number | null;
  Dest: string;
  /** Miles. */
  Distance: number | null;
  /** "YYYY-MM-DD". */
  FlightDate: string;
  FlightNum: string | null;
  Origin: string;
}

export type FlightColumn = keyof FlightRecord;

/** The columns every data set must have. */
export const requiredColumns = ['ArrDelay', 'FlightDate', 'Origin', 'Dest'] as const satisfies readonly FlightColumn[];

/** What a caller sends to be scored: the seed's request fields (calendar fields are derived). */
export interface FlightRequest {
  Origin: string;
  Dest: string;
  Carrier?: string | null;
  DepDelay?: number | null;
  /** "YYYY-MM-DD". */
  FlightDate: string;
  /** Filled from the distance table (then airport coordinates) when absent. */
  Distance?: number | null;
  FlightNum?: string | null;
  /** Needed only by models trained with the richer feature set. */
  CRSDepTime?: string | null;
}
