import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from 'mongodb';
import { seedDistanceTable } from './distances';

describe('distance table rows', () => {
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
