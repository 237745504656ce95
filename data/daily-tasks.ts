import type { FlightRecord } from '../models/flight';

/**
 * One task of the daily batch prediction (MongoDB `prediction_tasks`): the seed's request fields of a
 * flight, with a TaskId that is stable for the same data set and date, so that creating a day's tasks
 * twice stores them once and a rerun of the day replaces its results instead of adding to them.
 */
export interface PredictionTask {
  TaskId: string;
  Origin: string;
  Dest: string;
  Carrier: string;
  DepDelay: number;
  FlightDate: string;
  FlightNum: string | null;
  Distance: number | null;
  /** The scheduled departure, when the data has it (models with the rich feature set use it). */
  CRSDepTime: string | null;
}

/**
 * The flights of `date` (YYYY-MM-DD) in a data set, as the day's prediction tasks, in data order:
 * for demos and tests of the batch workflow. Flights without a carrier or a departure delay
 * (cancelled ones) are left out: there is nothing to predict for them.
 */
export function dailyTasksFromFlights(records: readonly FlightRecord[], date: string): PredictionTask[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`dailyTasksFromFlights: expected a date "YYYY-MM-DD", got ${JSON.stringify(date)}`);
  const tasks: PredictionTask[] = [];
  for (const r of records) {
    if (r.FlightDate !== date || r.Carrier === null || r.DepDelay === null) continue;
    tasks.push({
      TaskId: `${date}-${String(tasks.length).padStart(6, '0')}`,
      Origin: r.Origin,
      Dest: r.Dest,
      Carrier: r.Carrier,
      DepDelay: r.DepDelay,
      FlightDate: r.FlightDate,
      FlightNum: r.FlightNum,
      Distance: r.Distance,
      CRSDepTime: r.CRSDepTime,
    });
  }
  return tasks;
}
