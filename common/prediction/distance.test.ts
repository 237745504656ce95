import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { greatCircleMiles, loadAirports } from '../../data/airports';
import { DistanceResolver } from './distance';
import { distanceKey, type OriginDestDistance } from '../../data/distance-table';

const rows: OriginDestDistance[] = [
  { Origin: 'JFK', Dest: 'LAX', Distance: 2475 },
  { Origin: 'EWR', Dest: 'XQQ', Distance: 321 },
];
const table = new Map(rows.map((r) => [distanceKey(r.Origin, r.Dest), r]));

describe('DistanceResolver', () => {
  const airports = loadAirports();
  const resolver = new DistanceResolver(table, airports);

  it('uses the request\'s own Distance first, when it is a positive number', () => {
    assert.deepEqual(resolver.resolve('JFK', 'LAX', 2500), { distance: 2500, source: 'request' });
    assert.deepEqual(resolver.resolve('AAA', 'BBB', 12), { distance: 12, source: 'request' });
    for (const bad of [0, -5, NaN, Infinity, null, undefined]) {
      assert.deepEqual(resolver.resolve('JFK', 'LAX', bad), { distance: 2475, source: 'table' }, String(bad));
    }
  });

  it('then the table, in either direction, also for airports without coordinates', () => {
    assert.equal(resolver.size, 2);
    assert.deepEqual(resolver.resolve('LAX', 'JFK'), { distance: 2475, source: 'table' });
    assert.deepEqual(resolver.resolve('EWR', 'XQQ'), { distance: 321, source: 'table' });
    assert.deepEqual(resolver.resolve('XQQ', 'EWR'), { distance: 321, source: 'table' });
  });

  it('then the great circle between the airports\' coordinates', () => {
    const r = resolver.resolve('JFK', 'SFO');
    assert.ok('distance' in r);
    assert.equal(r.source, 'great-circle');
    assert.equal(r.distance, greatCircleMiles(airports.get('JFK')!, airports.get('SFO')!));
    assert.ok(Math.abs(r.distance - 2586) / 2586 < 0.02, `${r.distance}`);
  });

  it('else an error naming the pair and the airports without coordinates', () => {
    assert.deepEqual(resolver.resolve('JFK', 'QQQ'), {
      error: 'unknown airport pair JFK-QQQ: no distance in origin_dest_distances and no coordinates for QQQ; ' +
        'check the airport codes (IATA, e.g. JFK), or send Distance (miles) with the request',
    });
    const both = resolver.resolve('ZZ1', 'ZZ2');
    assert.ok('error' in both);
    assert.match(both.error, /^unknown airport pair ZZ1-ZZ2: no distance in origin_dest_distances and no coordinates for ZZ1 and ZZ2;/);
  });

  it('works from an empty table (nothing seeded yet) on coordinates alone', () => {
    const bare = new DistanceResolver(new Map(), airports);
    const r = bare.resolve('JFK', 'LAX');
    assert.ok('distance' in r && r.source === 'great-circle' && Math.abs(r.distance - 2475) / 2475 < 0.01);
  });
});
