import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadAirports } from '../../data/airports';
import { DistanceTable } from '../../data/distances';
import { loadFlights } from '../../data/load-flights';
import { calendarFields } from '../../models/calendar';
import type { FlightRecord } from '../../models/flight';
import { FlightDelayModel } from '../../models/flight-delay-model';
import { trainModel } from '../../models/train-model';
import { DistanceResolver } from '../../common/prediction/distance';
import { distanceKey } from '../../data/distance-table';
import type { PredictionResult } from '../../common/prediction/result';
import { scoreBatch, type StreamMessage } from './score-batch';

const now = new Date('2026-01-02T03:04:05.678Z');
const clock = () => now;

let offset = 100;
const msg = (value: string | null, partition = 0): StreamMessage => ({
  value: value === null ? null : Buffer.from(value), offset: String(offset++), partition,
});
const request = (fields: Record<string, unknown> = {}) => JSON.stringify({
  UUID: `u-${offset}`, Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: 12, FlightDate: '2013-06-14', FlightNum: 17,
  Timestamp: '2013-06-14T08:00:00Z', ...fields,
});

describe('scoreBatch', () => {
  let records: FlightRecord[];
  let model: FlightDelayModel;
  let resolver: DistanceResolver;

  before(async () => {
    const loaded = await loadFlights('nycflights13', { limit: 20_000 });
    records = loaded.records;
    model = (await trainModel(
      { name: 'nycflights13-20k', contentHash: loaded.contentHash, records, columns: loaded.columns },
      { forest: { numTrees: 20, maxDepth: 5, threads: 1 } },
    )).model;
    const rows = DistanceTable.fromRecords(records).rows();
    resolver = new DistanceResolver(new Map(rows.map((r) => [distanceKey(r.Origin, r.Dest), r])), loadAirports());
  });

  it('scores a mixed batch: valid requests become results, the rest rejects with their reasons', () => {
    const batch = [
      msg(request({ UUID: 'ok-table' })),
      msg('{"UUID": "broken", "Origin": '),
      msg(request({ UUID: 'no-carrier', Carrier: undefined })),
      msg(request({ UUID: 'nan-raw', DepDelay: 0 }).replace('"DepDelay":0', '"DepDelay":NaN')),
      msg(request({ UUID: 'nan-string', DepDelay: 'NaN' })),
      msg(request({ UUID: 'unknown-pair', Dest: 'QQQ' })),
      msg(request({ UUID: 'unseen-carrier', Carrier: 'ZZ' }), 1),
      msg(request({ UUID: 'own-distance', Distance: 2500 }), 1),
      msg(request({ UUID: 'great-circle', Origin: 'ATL', Dest: 'SEA' }), 1),
      msg(null, 1),
    ];
    const { results, rejects } = scoreBatch(batch, model, '7', resolver, clock);

    assert.deepEqual(results.map((r) => r.UUID), ['ok-table', 'unseen-carrier', 'own-distance', 'great-circle']);
    assert.deepEqual(results.map((r) => r.DistanceSource), ['table', 'table', 'request', 'great-circle']);
    assert.deepEqual(
      rejects.map((r) => [r.offset, r.partition, r.field, r.reason]),
      [
        [batch[1]!.offset, 0, undefined, 'malformed JSON: Unexpected end of JSON input'],
        [batch[2]!.offset, 0, 'Carrier', 'Carrier: missing; expected a carrier code of 1 to 10 letters or digits'],
        [batch[3]!.offset, 0, 'DepDelay', 'malformed JSON: DepDelay is NaN, which JSON cannot carry; send a finite number'],
        [batch[4]!.offset, 0, 'DepDelay', 'DepDelay: expected a finite number of minutes (a JSON number), got "NaN"'],
        [batch[5]!.offset, 0, 'Distance', 'unknown airport pair JFK-QQQ: no distance in origin_dest_distances and no coordinates for QQQ; ' +
          'check the airport codes (IATA, e.g. JFK), or send Distance (miles) with the request'],
        [batch[9]!.offset, 1, undefined, 'malformed JSON: the message has no value (a tombstone?); expected a JSON object'],
      ],
    );
    assert.equal(rejects[0]!.original, '{"UUID": "broken", "Origin": ');
    assert.equal(rejects[5]!.original, '');
    assert.equal(results.length + rejects.length, batch.length);
  });

  it('fills every field of the result record, as the model scores the same flight alone', () => {
    const { results } = scoreBatch([msg(request({ UUID: 'full', Carrier: ' b6 ', Origin: 'jfk' }))], model, '7', resolver, clock);
    const r = results[0]!;
    const jfkLax = records.filter((f) => f.Origin === 'JFK' && f.Dest === 'LAX');
    const distance = jfkLax.reduce((s, f) => s + f.Distance!, 0) / jfkLax.length;
    const alone = model.predictOne({ Origin: 'JFK', Dest: 'LAX', Carrier: 'B6', DepDelay: 12, Distance: distance, FlightDate: '2013-06-14' });
    const expected: PredictionResult = {
      UUID: 'full', Origin: 'JFK', Dest: 'LAX', Carrier: 'B6', DepDelay: 12, Distance: distance, DistanceSource: 'table',
      FlightDate: '2013-06-14', FlightNum: '17', ...calendarFields('2013-06-14'), Route: 'JFK-LAX',
      Prediction: alone.prediction, PredictionLabel: alone.label, Probabilities: alone.probabilities, FeatureLookups: alone.featureLookups, ModelVersion: '7',
      RequestTimestamp: '2013-06-14T08:00:00.000Z', ScoredAt: '2026-01-02T03:04:05.678Z',
    };
    assert.deepEqual(r, expected);
    assert.deepEqual(Object.keys(r).sort(), Object.keys(expected).sort(), 'exactly the fields of PredictionResult');
    assert.equal(r.DayOfWeek, 5, '2013-06-14 is a Friday: ISO weekday 5');
    assert.ok(Math.abs(r.Probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.equal(r.PredictionLabel, model.labels[r.Prediction]);
  });

  it('scores all valid requests with one predictMany call, none alone', (t) => {
    const many = t.mock.method(model, 'predictMany');
    const one = t.mock.method(model, 'predictOne');
    const { results } = scoreBatch([msg(request()), msg('x'), msg(request({ Carrier: 'ZZ' })), msg(request({ Dest: 'BOS' }))], model, '7', resolver, clock);
    assert.equal(results.length, 3);
    assert.equal(many.mock.callCount(), 1);
    assert.equal(many.mock.calls[0]!.arguments[0].length, 3);
    assert.equal(one.mock.callCount(), 0);
  });

  it('files each prediction that names its flight, a shadow\'s beside the champion\'s, and answers with the champion\'s alone', () => {
    const challenger = { version: '8', model: FlightDelayModel.load(JSON.parse(JSON.stringify(model))) };
    const batch = [msg(request({ UUID: 'a', FlightNum: 17 })), msg(request({ UUID: 'b', FlightNum: null })), msg(request({ UUID: 'c', FlightNum: '9 9', DepDelay: 90 }))];
    const { results, filed, shadowFailed } = scoreBatch(batch, model, '7', resolver, clock, undefined, challenger);
    assert.deepEqual(results.map((r) => [r.UUID, r.ModelVersion]), [['a', '7'], ['b', '7'], ['c', '7']], 'the answers: the champion\'s, one per request');
    assert.equal(shadowFailed, undefined);
    assert.deepEqual(
      filed.map((f) => [f._id, f.Role, f.ModelVersion]),
      [
        ['2013-06-14|AA|17|JFK|LAX#realtime:a', 'champion', '7'],
        ['2013-06-14|AA|9%209|JFK|LAX#realtime:c', 'champion', '7'],
        ['2013-06-14|AA|17|JFK|LAX#realtime:a~v8', 'challenger', '8'],
        ['2013-06-14|AA|9%209|JFK|LAX#realtime:c~v8', 'challenger', '8'],
      ],
      'a request without FlightNum is answered but filed under no flight',
    );
    // The same model in both roles: the same probabilities, and the features' training bins filed with each.
    assert.deepEqual(filed[2]!.Probabilities, filed[0]!.Probabilities);
    assert.equal(filed[0]!.FeatureBins?.length, model.pipeline.numFeatures);
  });

  it('a shadow that cannot score leaves the answers as they are and says why', () => {
    const broken = { version: '9', model: { predictMany: () => { throw new Error('shadow broke'); }, predictOne: () => { throw new Error('shadow broke'); } } as unknown as FlightDelayModel };
    const { results, filed, shadowFailed } = scoreBatch([msg(request({ UUID: 'd' }))], model, '7', resolver, clock, undefined, broken);
    assert.deepEqual(results.map((r) => r.UUID), ['d']);
    assert.deepEqual(filed.map((f) => f.Role), ['champion']);
    assert.match(shadowFailed ?? '', /shadow broke/);
  });

  it('an empty batch, or one without a valid request, does not call the model', (t) => {
    const many = t.mock.method(model, 'predictMany');
    assert.deepEqual(scoreBatch([], model, '7', resolver, clock), { filed: [], results: [], sources: [], rejects: [] });
    assert.equal(scoreBatch([msg('nope')], model, '7', resolver, clock).rejects.length, 1);
    assert.equal(many.mock.callCount(), 0);
  });

  it('a request the pipeline rejects becomes a reject: the batch falls back to scoring row by row', async (t) => {
    const rich = (await trainModel(
      { name: 'rich', contentHash: 'x', records: records.slice(0, 3000), columns: ['ArrDelay', 'Carrier', 'DepDelay', 'Dest', 'Distance', 'FlightDate', 'Origin', 'CRSDepTime'] },
      { featureSet: 'rich', forest: { numTrees: 3, threads: 1 } },
    )).model;
    const one = t.mock.method(rich, 'predictOne');
    const batch = [
      msg(request({ UUID: 'with-hour', CRSDepTime: '2013-06-14T07:45:00' })),
      msg(request({ UUID: 'without-hour' })),
      msg(request({ UUID: 'with-hour-2', CRSDepTime: '2013-06-14T18:05:00', Carrier: 'ZZ' })),
    ];
    const { results, rejects } = scoreBatch(batch, rich, 'rich-1', resolver, clock);
    assert.deepEqual(results.map((r) => r.UUID), ['with-hour', 'with-hour-2']);
    assert.deepEqual(rejects.map((r) => [r.offset, r.field, r.reason]), [[
      batch[1]!.offset, 'CRSDepTime',
      'the model\'s pipeline cannot use it: CRSDepTime: expected an ISO date-time "YYYY-MM-DDTHH:MM", got null',
    ]]);
    assert.equal(one.mock.callCount(), 3);
    const fast = scoreBatch([batch[0]!, batch[2]!], rich, 'rich-1', resolver, clock);
    assert.deepEqual(fast.results, results, 'row-by-row and batch scoring agree');
  });

  it('a model that fails for another reason fails the batch (nothing goes to the dead letters)', () => {
    const broken = {
      predictMany: () => { throw new RangeError('forest expects 9 features, got 8'); },
      predictOne: () => { throw new RangeError('forest expects 9 features, got 8'); },
    } as unknown as FlightDelayModel;
    assert.throws(() => scoreBatch([msg(request())], broken, '7', resolver, clock), /forest expects 9 features/);
  });

  it('throughput on 10,000 messages (diagnostic, no assertion on speed)', (t) => {
    const carriers = ['AA', 'B6', 'DL', 'UA', 'EV', 'ZZ'];
    const messages = Array.from({ length: 10_000 }, (_, i) => {
      const f = records[(i * 7919) % records.length]!;
      const fields: Record<string, unknown> = {
        UUID: `bench-${i}`, Origin: f.Origin, Dest: f.Dest, Carrier: carriers[i % carriers.length], DepDelay: (i % 120) - 20,
        FlightDate: f.FlightDate, FlightNum: f.FlightNum, Timestamp: '2013-06-14T08:00:00Z', DayOfWeek: 3,
      };
      if (i % 3 === 0) fields.Distance = f.Distance;
      return { value: Buffer.from(JSON.stringify(fields)), offset: String(i), partition: i % 3 };
    });
    scoreBatch(messages.slice(0, 500), model, '7', resolver, clock); // warm-up
    const runs: number[] = [];
    let out = scoreBatch(messages, model, '7', resolver, clock);
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      out = scoreBatch(messages, model, '7', resolver, clock);
      runs.push(performance.now() - start);
    }
    assert.equal(out.results.length, 10_000);
    assert.equal(out.rejects.length, 0);
    const best = Math.min(...runs);
    const median = [...runs].sort((a, b) => a - b)[2]!;
    t.diagnostic(
      `scoreBatch, 10,000 messages (20 trees, depth 5): best ${best.toFixed(1)} ms = ${Math.round(10_000 / (best / 1000)).toLocaleString('en-US')} msg/s; ` +
        `median ${median.toFixed(1)} ms = ${Math.round(10_000 / (median / 1000)).toLocaleString('en-US')} msg/s`,
    );
  });
});
