/**
 * Integration test of the MongoDB-protocol server of the stack (FerretDB or mongod) through the
 * project's client. Needs the server: `npm run stack -- up mongo` (or MONGO_URL).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MongoServerError, type Collection, type MongoClient } from 'mongodb';
import { database, createMongoClient } from '../common/clients/mongo';
import { config } from '../common/config';
import { mongo } from '../infra/services/mongo';
import { freePort } from './support/free-port';

interface Flight {
  UUID: string;
  Origin: string;
  Dest: string;
  Distance: number;
  Prediction?: number;
}

describe('mongo', () => {
  const cfg = config();
  const name = `test_mongo_${Date.now()}_${randomUUID().slice(0, 8)}`;
  let client: MongoClient;
  let flights: Collection<Flight>;

  before(async () => {
    client = await createMongoClient(cfg);
    flights = database(client, cfg).collection<Flight>(name);
  });

  after(async () => {
    if (!client) return;
    try {
      await flights.drop().catch(() => false);
      const left = await database(client, cfg).listCollections({ name }).toArray();
      assert.equal(left.length, 0, `collection ${name} should be gone`);
    } finally {
      await client.close();
    }
  });

  it('the stack probe gets ok from hello through the driver', async () => {
    const r = await mongo.probe(cfg);
    assert.equal(r.ok, true, r.detail);
    assert.match(r.detail, /hello ok, maxWireVersion \d+/);
  });

  it('the probe says at once when nothing listens, and takes the URL forms the driver takes', async () => {
    const dead = await freePort();
    const started = Date.now();
    const refused = await mongo.probe({ ...cfg, mongo: { ...cfg.mongo, url: `mongodb://127.0.0.1:${dead}/x?directConnection=true` } });
    assert.equal(refused.ok, false);
    assert.match(refused.detail, /ECONNREFUSED/);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms: it waited for the server selection timeout`);
    // A DNS seed list is looked up, not refused as a form the probe cannot speak.
    const srv = await mongo.probe({ ...cfg, mongo: { ...cfg.mongo, url: 'mongodb+srv://cluster.invalid/x' } });
    assert.equal(srv.ok, false);
    assert.match(srv.detail, /querySrv .*_mongodb\._tcp\.cluster\.invalid/);
  });

  it('insertMany then find with a filter and a sort', async () => {
    const docs: Flight[] = [
      { UUID: randomUUID(), Origin: 'ATL', Dest: 'SFO', Distance: 2139 },
      { UUID: randomUUID(), Origin: 'ATL', Dest: 'ORD', Distance: 606 },
      { UUID: randomUUID(), Origin: 'JFK', Dest: 'LAX', Distance: 2475 },
      { UUID: randomUUID(), Origin: 'ATL', Dest: 'LGA', Distance: 762 },
      { UUID: randomUUID(), Origin: 'ATL', Dest: 'BHM', Distance: 134 },
    ];
    const inserted = await flights.insertMany(docs);
    assert.equal(inserted.insertedCount, 5);

    const found = await flights
      .find({ Origin: 'ATL', Distance: { $gt: 500 } }, { projection: { _id: 0, Dest: 1, Distance: 1 } })
      .sort({ Distance: -1 })
      .toArray();
    assert.deepEqual(found, [
      { Dest: 'SFO', Distance: 2139 },
      { Dest: 'LGA', Distance: 762 },
      { Dest: 'ORD', Distance: 606 },
    ]);
    assert.equal(await flights.countDocuments({ Origin: 'ATL' }), 4);
  });

  it('a unique index on UUID rejects a duplicate with code 11000', async () => {
    const indexName = await flights.createIndex({ UUID: 1 }, { unique: true });
    const indexes = await flights.indexes();
    const index = indexes.find((i) => i.name === indexName);
    assert.ok(index, `index ${indexName} should be listed`);
    assert.deepEqual(index.key, { UUID: 1 });
    assert.equal(index.unique, true);

    const uuid = randomUUID();
    await flights.insertOne({ UUID: uuid, Origin: 'SEA', Dest: 'BOS', Distance: 2496 });
    await assert.rejects(
      flights.insertOne({ UUID: uuid, Origin: 'SEA', Dest: 'BOS', Distance: 2496 }),
      (err: unknown) => err instanceof MongoServerError && err.code === 11000,
    );
    assert.equal(await flights.countDocuments({ UUID: uuid }), 1);
  });

  it('upserts by UUID: inserts once, then updates in place', async () => {
    const uuid = randomUUID();
    const first = await flights.updateOne(
      { UUID: uuid },
      { $set: { Origin: 'DEN', Dest: 'PHX', Distance: 602, Prediction: 1 } },
      { upsert: true },
    );
    assert.equal(first.upsertedCount, 1);
    assert.equal(first.matchedCount, 0);
    assert.ok(first.upsertedId);

    const second = await flights.updateOne({ UUID: uuid }, { $set: { Prediction: 3 } }, { upsert: true });
    assert.equal(second.upsertedCount, 0);
    assert.equal(second.matchedCount, 1);
    assert.equal(second.modifiedCount, 1);

    const doc = await flights.findOne({ UUID: uuid }, { projection: { _id: 0 } });
    assert.deepEqual(doc, { UUID: uuid, Origin: 'DEN', Dest: 'PHX', Distance: 602, Prediction: 3 });
    assert.equal(await flights.countDocuments({ UUID: uuid }), 1);
  });
});
