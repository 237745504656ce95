import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlightRecord } from '../models/flight';
import { loadAirports } from './airports';
import { compareWithGreatCircle } from './distance-agreement';
import { DistanceTable, UnknownRouteError } from './distances';

const flight = (Origin: string, Dest: string, Distance: number | null): FlightRecord => ({
  ArrDelay: 0, CRSArrTime: null, CRSDepTime: null, Carrier: null, DayOfMonth: 1, DayOfWeek: 2, DayOfYear: 1, DepDelay: 0,
  Dest, Distance, FlightDate: '2013-01-01', FlightNum: null, Origin,
});

describe('origin → destination distances', () => {
  const airports = loadAirports();
  const table = DistanceTable.fromRecords(
    [flight('EWR', 'EGE', 1726), flight('EWR', 'EGE', 1725), flight('EWR', 'EGE', 1725), flight('JFK', 'LAX', 2475), flight('JFK', 'SFO', null)],
    airports,
  );

  it('averages Distance per (Origin, Dest) pair, as origin_dest_distances did', () => {
    assert.deepEqual(table.rows(), [
      { Origin: 'EWR', Dest: 'EGE', Distance: (1726 + 1725 + 1725) / 3 },
      { Origin: 'JFK', Dest: 'LAX', Distance: 2475 },
    ]);
    assert.deepEqual(table.lookup('JFK', 'LAX'), { miles: 2475, source: 'observed' });
  });

  it('falls back to the pair flown the other way, then to the great circle', () => {
    assert.deepEqual(table.lookup('LAX', 'JFK'), { miles: 2475, source: 'observed-reverse' });
    const sfo = table.lookup('JFK', 'SFO')!;
    assert.equal(sfo.source, 'great-circle');
    assert.ok(Math.abs(sfo.miles - 2586) / 2586 < 0.02, `${sfo.miles}`);
    const lax = DistanceTable.fromRows([], airports).lookup('JFK', 'LAX')!;
    assert.ok(Math.abs(lax.miles - 2475) / 2475 < 0.01, `${lax.miles}`);
  });

  it('reports a pair it cannot know, naming both airports and which lack coordinates', () => {
    assert.equal(table.lookup('JFK', 'XQQ'), undefined);
    assert.throws(() => table.milesBetween('JFK', 'XQQ'), (err: Error) => {
      assert.ok(err instanceof UnknownRouteError);
      assert.equal(err.message,
        'no distance for JFK → XQQ: no flight between them in the distance table, and XQQ has no coordinates in airports.csv; ' +
        'check the airport codes (IATA, e.g. JFK), or send Distance with the request');
      return true;
    });
    assert.throws(() => DistanceTable.fromRows([]).milesBetween('AAA', 'BBB'), /AAA and BBB have no coordinates/);
  });

  it('rebuilds from stored rows', () => {
    const copy = DistanceTable.fromRows(table.rows());
    assert.equal(copy.size, 2);
    assert.equal(copy.milesBetween('EWR', 'EGE'), table.milesBetween('EWR', 'EGE'));
  });

  it('measures agreement with the great circle', () => {
    const agreement = compareWithGreatCircle(
      [{ Origin: 'JFK', Dest: 'LAX', Distance: 2475 }, { Origin: 'JFK', Dest: 'XQQ', Distance: 100 }, { Origin: 'JFK', Dest: 'BOS', Distance: 500 }],
      airports,
    );
    assert.equal(agreement.pairs, 3);
    assert.equal(agreement.compared, 2);
    assert.deepEqual(agreement.airportsWithoutCoordinates, ['XQQ']);
    assert.equal(agreement.within5Percent, 0.5);
    assert.equal(agreement.worst[0]!.Dest, 'BOS');
  });
});
