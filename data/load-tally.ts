import type { FlightColumn, FlightRecord } from '../models/flight';
import { allFlightColumns, LoadStats } from './loaded-flights';

export const malformedSampleLimit = 20;

/** Counts what happens to each row while a data set loads, and keeps the records that pass. */
export class LoadTally {
  readonly records: FlightRecord[] = [];
  private readonly nullCounts = new Map<FlightColumn, number>(allFlightColumns.map((c) => [c, 0]));
  private readonly stats: LoadStats = {
    rowsRead: 0,
    kept: 0,
    dropped: 0,
    droppedNoArrDelay: 0,
    droppedNoDepDelay: 0,
    malformed: 0,
    malformedSamples: [],
    calendarCorrected: 0,
  };

  get rowsRead(): number {
    return this.stats.rowsRead;
  }

  keep(record: FlightRecord, calendarCorrected = false): void {
    this.stats.rowsRead++;
    this.stats.kept++;
    if (calendarCorrected) this.stats.calendarCorrected++;
    for (const column of allFlightColumns) {
      if (record[column] === null) this.nullCounts.set(column, this.nullCounts.get(column)! + 1);
    }
    this.records.push(record);
  }

  drop(noArrDelay: boolean, noDepDelay: boolean): void {
    this.stats.rowsRead++;
    this.stats.dropped++;
    if (noArrDelay) this.stats.droppedNoArrDelay++;
    if (noDepDelay) this.stats.droppedNoDepDelay++;
  }

  malformed(line: number, reason: string): void {
    this.stats.rowsRead++;
    this.stats.malformed++;
    if (this.stats.malformedSamples.length < malformedSampleLimit) this.stats.malformedSamples.push({ line, reason });
  }

  /** The columns non-null in every kept record (none when nothing was kept). */
  columns(): FlightColumn[] {
    if (this.stats.kept === 0) return [];
    return allFlightColumns.filter((c) => this.nullCounts.get(c) === 0);
  }

  summary(): LoadStats {
    return { ...this.stats, malformedSamples: [...this.stats.malformedSamples] };
  }
}
