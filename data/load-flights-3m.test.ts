import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { calendarFields } from '../models/calendar';
import { knownDataSets, loadFlights } from './load-flights';
import { LoadProgress } from './loaded-flights';

const firstGroupRows = 272_727;

describe('flights-3m.parquet (vega-datasets)', () => {
  it('loads the first rows with a limit, in the seed schema', async () => {
    const loaded = await loadFlights('flights-3m', { limit: 1000 });
    assert.equal(loaded.stats.rowsRead, 1000);
    assert.equal(loaded.records.length, 1000);
    assert.deepEqual(loaded.records[0], {
      ArrDelay: 33, CRSArrTime: null, CRSDepTime: '2001-01-01T00:01:00', Carrier: null, DayOfMonth: 1, DayOfWeek: 1,
      DayOfYear: 1, DepDelay: null, Dest: 'PHL', Distance: 2176, FlightDate: '2001-01-01', FlightNum: null, Origin: 'LAS',
    });
    assert.deepEqual(loaded.columns, [
      'ArrDelay', 'CRSDepTime', 'DayOfMonth', 'DayOfWeek', 'DayOfYear', 'Dest', 'Distance', 'FlightDate', 'Origin',
    ]);
  });

  it('decodes the first row group to the minima and maxima its statistics record', async () => {
    const { parquetMetadata } = await import('hyparquet');
    const file = readFileSync(knownDataSets['flights-3m'].path());
    const group = parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength)).row_groups[0]!;
    const statistic = (column: number) => group.columns[column]!.meta_data!.statistics!;
    const { records } = await loadFlights('flights-3m', { limit: firstGroupRows });
    const range = (values: (string | number)[]) => [values.reduce((a, b) => (b < a ? b : a)), values.reduce((a, b) => (b > a ? b : a))];
    assert.deepEqual(range(records.map((r) => r.ArrDelay!)), [Number(statistic(1).min_value), Number(statistic(1).max_value)]);
    assert.deepEqual(range(records.map((r) => r.Distance!)), [Number(statistic(2).min_value), Number(statistic(2).max_value)]);
    assert.deepEqual(range(records.map((r) => r.Origin)), [statistic(3).min_value, statistic(3).max_value]);
    assert.deepEqual(range(records.map((r) => r.Dest)), [statistic(4).min_value, statistic(4).max_value]);
    const minDate = statistic(0).min_value as Date;
    assert.equal(range(records.map((r) => r.CRSDepTime!))[0], minDate.toISOString().slice(0, 19));
  });

  it('loads all 3,000,000 rows, with calendar fields from models/calendar.ts', async () => {
    const progress: LoadProgress[] = [];
    const loaded = await loadFlights('flights-3m', { onProgress: (p) => progress.push(p) });
    assert.deepEqual({ ...loaded.stats, malformedSamples: undefined }, {
      rowsRead: 3_000_000, kept: 3_000_000, dropped: 0, droppedNoArrDelay: 0, droppedNoDepDelay: 0,
      malformed: 0, malformedSamples: undefined, calendarCorrected: 0,
    });
    assert.equal(progress.length, 11); // one report per row group
    assert.deepEqual(progress.at(-1), { rows: 3_000_000, bytes: progress.at(-1)!.totalBytes, totalBytes: progress.at(-1)!.totalBytes });
    const last = loaded.records.at(-1)!;
    assert.deepEqual(
      { DayOfMonth: last.DayOfMonth, DayOfWeek: last.DayOfWeek, DayOfYear: last.DayOfYear },
      calendarFields(last.FlightDate),
    );
    assert.equal(new Set(loaded.records.map((r) => r.FlightDate)).size, 182); // 2001-01-01 .. 2001-07-01
  });
});
