import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlightColumn, FlightRecord } from '../flight';
import { Bucketizer } from './bucketizer';
import { arrDelayBucketizer, delayClassLabels } from './delay-classes';
import { FeaturePipeline, delayLabels } from './pipeline';
import { seedFeatures } from './flight-features';
import { StringIndexer } from './string-indexer';

const allColumns: FlightColumn[] = ['ArrDelay', 'CRSArrTime', 'CRSDepTime', 'Carrier', 'DayOfMonth', 'DayOfWeek', 'DayOfYear', 'DepDelay', 'Dest', 'Distance', 'FlightDate', 'FlightNum', 'Origin'];

const flight = (over: Partial<FlightRecord>): FlightRecord => ({
  ArrDelay: 5, CRSArrTime: '2013-01-07T09:30:00', CRSDepTime: '2013-01-07T06:15:00', Carrier: 'AA',
  DayOfMonth: 7, DayOfWeek: 1, DayOfYear: 7, DepDelay: 3, Dest: 'SFO', Distance: 2139, FlightDate: '2013-01-07',
  FlightNum: '1', Origin: 'ATL', ...over,
});

const training = [
  flight({}), flight({ Carrier: 'AA', Origin: 'JFK', Dest: 'LAX', Distance: 2475 }), flight({ Carrier: 'UA', Origin: 'JFK' }),
  flight({ Carrier: 'DL', Origin: 'JFK', Dest: 'LAX', Distance: 2475 }), flight({ Carrier: 'AA', Origin: 'EWR' }),
];

describe('StringIndexer', () => {
  it('orders by frequency, then alphabetically, and gives unseen values the unknown index', () => {
    const idx = StringIndexer.fit('Carrier', ['UA', 'AA', 'DL', 'AA', 'UA', 'AA', 'B6']);
    assert.deepEqual(idx.labels, ['AA', 'UA', 'B6', 'DL']);
    assert.equal(idx.indexOf('AA'), 0);
    assert.equal(idx.indexOf('ZZ'), 4);
    assert.equal(idx.unknownIndex, 4);
    assert.equal(idx.arity, 5);
  });

  it('round-trips and rejects a wrong type tag', () => {
    const idx = StringIndexer.fit('Origin', ['JFK', 'LGA', 'JFK']);
    assert.deepEqual(StringIndexer.load(JSON.parse(JSON.stringify(idx))).labels, idx.labels);
    assert.throws(() => StringIndexer.load({ type: 'Bucketizer', version: 1 }), /type is "Bucketizer"/);
    assert.throws(() => StringIndexer.load({ ...idx.toJSON(), version: 9 }), /version 9 is not supported/);
  });
});

describe('Bucketizer and the delay classes', () => {
  it("buckets ArrDelay with the seed's splits [-inf, -15, 0, 30, +inf]", () => {
    const b = arrDelayBucketizer;
    assert.deepEqual([-60, -15.01, -15, -0.5, 0, 29.9, 30, 600].map((v) => b.bucket(v)), [0, 0, 1, 1, 2, 2, 3, 3]);
    assert.equal(b.bucket(NaN), -1);
    assert.equal(delayClassLabels[3], 'Very Late (30+ Minutes Late)');
  });

  it('survives JSON with its infinite splits, and rejects splits that do not increase', () => {
    assert.deepEqual(Bucketizer.load(JSON.parse(JSON.stringify(arrDelayBucketizer))).splits, arrDelayBucketizer.splits);
    assert.throws(() => new Bucketizer([0, 5, 5]), /increase strictly/);
  });

  it('labels flights and names the row of a missing delay', () => {
    assert.deepEqual([...delayLabels([{ ArrDelay: -20 }, { ArrDelay: 45 }])], [0, 3]);
    assert.throws(() => delayLabels([{ ArrDelay: 1 }, { ArrDelay: null }]), /ArrDelay: row 1/);
  });
});

describe('FeaturePipeline', () => {
  it("assembles the seed's nine features in the seed's order", () => {
    const p = FeaturePipeline.fit(training, { columns: allColumns });
    assert.deepEqual(p.features, seedFeatures);
    const row = p.transformOne(flight({}));
    // DepDelay, Distance, DayOfMonth, DayOfWeek (Monday = 1), DayOfYear, Carrier (AA most frequent), Origin, Dest, Route
    assert.deepEqual([...row], [3, 2139, 7, 1, 7, 0, p.indexers.get('Origin')!.indexOf('ATL'), p.indexers.get('Dest')!.indexOf('SFO'), p.indexers.get('Route')!.indexOf('ATL-SFO')]);
    const specs = p.featureSpecs();
    assert.deepEqual(specs[5], { name: 'Carrier_index', kind: 'categorical', arity: 4 });
    assert.deepEqual(specs[0], { name: 'DepDelay', kind: 'numeric' });
  });

  it('derives calendar fields from FlightDate itself, ignoring stored ones (one derivation for training and scoring)', () => {
    const p = FeaturePipeline.fit(training, { columns: allColumns });
    const stored = p.transformOne(flight({ DayOfWeek: 0, DayOfMonth: 99, DayOfYear: 0 }));
    const request = p.transformOne({ Origin: 'ATL', Dest: 'SFO', Carrier: 'AA', DepDelay: 3, Distance: 2139, FlightDate: '2013-01-07' });
    assert.deepEqual([...stored], [...request]);
  });

  it('scores unseen carriers, airports and routes with the unknown index instead of throwing', () => {
    const p = FeaturePipeline.fit(training, { columns: allColumns });
    const row = p.transformOne({ Origin: 'XNA', Dest: 'BOS', Carrier: 'ZZ', DepDelay: 0, Distance: 1000, FlightDate: '2014-06-01' });
    assert.equal(row[5], p.indexers.get('Carrier')!.unknownIndex);
    assert.equal(row[8], p.indexers.get('Route')!.unknownIndex);
    assert.deepEqual(p.unseenCategories({ Origin: 'XNA', Dest: 'SFO', Carrier: 'AA', FlightDate: '2014-06-01' }), ['Origin', 'Route']);
  });

  it('names the field of a missing or NaN value', () => {
    const p = FeaturePipeline.fit(training, { columns: allColumns });
    const base = { Origin: 'ATL', Dest: 'SFO', Carrier: 'AA', DepDelay: 3, Distance: 2139, FlightDate: '2013-01-07' };
    assert.throws(() => p.transformOne({ ...base, DepDelay: NaN }), /DepDelay: expected a finite number, got NaN/);
    assert.throws(() => p.transformOne({ ...base, DepDelay: undefined }), /DepDelay: expected a finite number, got nothing/);
    assert.throws(() => p.transformOne({ ...base, Distance: null }), /Distance: expected a finite number/);
    assert.throws(() => p.transformOne({ ...base, Carrier: '' }), /Carrier: expected a non-empty string/);
    assert.throws(() => p.transformOne({ ...base, FlightDate: '2013-13-01' }), /FlightDate/);
    assert.throws(() => p.transform([{ ...base }, { ...base, Origin: undefined as unknown as string }]), /Origin: row 1/);
  });

  it('leaves out the features a data set cannot provide', () => {
    const columns = allColumns.filter((c) => c !== 'Carrier' && c !== 'DepDelay');
    const p = FeaturePipeline.fit(training, { columns });
    assert.deepEqual(p.features, ['Distance', 'DayOfMonth', 'DayOfWeek', 'DayOfYear', 'Origin_index', 'Dest_index', 'Route_index']);
    assert.equal(p.transformOne({ Origin: 'ATL', Dest: 'SFO', Distance: 2139, FlightDate: '2013-01-07' }).length, 7);
  });

  it('adds the scheduled departure hour in the rich feature set', () => {
    const p = FeaturePipeline.fit(training, { columns: allColumns, featureSet: 'rich' });
    assert.equal(p.features.at(-1), 'CRSDepHour');
    assert.equal(p.transformOne(flight({})).at(-1), 6);
    assert.throws(() => p.transformOne({ ...flight({}), CRSDepTime: null }), /CRSDepTime/);
  });

  it('saves and loads to identical feature rows', () => {
    const p = FeaturePipeline.fit(training, { columns: allColumns, featureSet: 'rich' });
    const q = FeaturePipeline.load(JSON.parse(JSON.stringify(p)));
    const probe = [flight({}), flight({ Carrier: 'ZZ', Origin: 'BOS' })];
    assert.deepEqual([...q.transform(probe)], [...p.transform(probe)]);
    assert.throws(() => FeaturePipeline.load({ ...p.toJSON(), features: ['Nope'] }), /unknown feature/);
  });
});
