import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FlightDelayModel } from './flight-delay-model';
import { ModelStore } from './model-store';
import { trainModel } from './train-model';
import type { FlightRecord } from './flight';

const dir = mkdtempSync(join(tmpdir(), 'model-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function smallModel(): Promise<FlightDelayModel> {
  const records: FlightRecord[] = Array.from({ length: 400 }, (_, i) => ({
    ArrDelay: (i % 7) * 12 - 20, CRSArrTime: null, CRSDepTime: null, Carrier: i % 2 ? 'AA' : 'UA', DayOfMonth: 1, DayOfWeek: 1,
    DayOfYear: 1, DepDelay: (i % 7) * 10 - 10, Dest: i % 3 ? 'LAX' : 'SFO', Distance: 2000 + (i % 5), FlightDate: '2013-01-07',
    FlightNum: String(i), Origin: 'JFK',
  }));
  const columns = ['ArrDelay', 'Carrier', 'DepDelay', 'Dest', 'Distance', 'FlightDate', 'Origin'] as const;
  return (await trainModel({ name: 'tiny', contentHash: 'x', records, columns: [...columns] }, { forest: { numTrees: 3, threads: 1 } })).model;
}

describe('ModelStore', () => {
  it('keeps versions, points the champion at one, and loads it back with identical predictions', async () => {
    const store = new ModelStore(dir);
    assert.equal(store.champion(), undefined);
    assert.equal(store.loadChampion(), undefined);
    const model = await smallModel();
    store.save({ version: '1', runId: 'r1', accuracy: 0.5, savedAt: new Date().toISOString() }, model);
    store.save({ version: '2', runId: 'r2', accuracy: 0.6, savedAt: new Date().toISOString() }, model);
    assert.deepEqual(store.versions(), ['1', '2']);
    store.promote('2');
    const champion = store.loadChampion();
    assert.equal(champion?.version, '2');
    const probe = { Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: 25, Distance: 2002, FlightDate: '2013-01-08' };
    assert.deepEqual(champion?.model.predictOne(probe), model.predictOne(probe));
    assert.equal(store.meta('2').runId, 'r2');
  });

  it('refuses to promote a version it does not hold, and odd version names', () => {
    const store = new ModelStore(dir);
    assert.throws(() => store.promote('99'), /not in the model store/);
    assert.throws(() => store.load('../etc'), /must be a plain name/);
  });
});
