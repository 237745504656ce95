import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlightRecord } from '../models/flight';
import { parseActualObject } from '../common/outcomes/actual';
import { parseRequest } from '../common/prediction/request';
import { replayDates, replayEvents } from './replay-plan';

const flight = (over: Partial<FlightRecord>): FlightRecord => ({
  ArrDelay: 12,
  CRSArrTime: '2013-11-01T08:30:00',
  CRSDepTime: '2013-11-01T06:00:00',
  Carrier: 'UA',
  DayOfMonth: 1,
  DayOfWeek: 5,
  DayOfYear: 305,
  DepDelay: 3,
  Dest: 'ORD',
  Distance: 719,
  FlightDate: '2013-11-01',
  FlightNum: '1545',
  Origin: 'EWR',
  ...over,
});

describe('the replay plan', () => {
  it('asks at the scheduled departure and reports the arrival at the scheduled arrival plus the delay, in time order', () => {
    const { events, flights, skipped } = replayEvents(
      [
        flight({}),
        flight({ FlightNum: '7', CRSDepTime: '2013-11-01T05:00:00', CRSArrTime: '2013-11-01T07:00:00', ArrDelay: -5 }),
        flight({ FlightDate: '2013-11-02', CRSDepTime: '2013-11-02T05:00:00' }),
        flight({ FlightNum: null }),
      ],
      ['2013-11-01'],
    );
    assert.equal(flights, 2);
    assert.equal(skipped, 1);
    assert.deepEqual(events.map((e) => [e.kind, new Date(e.at).toISOString().slice(11, 16)]), [
      ['request', '05:00'],
      ['request', '06:00'],
      ['actual', '06:55'],
      ['actual', '08:42'],
    ]);
  });

  it('makes requests and actuals that the stream and the join accept, the request with a UUID made from its flight', () => {
    const { events } = replayEvents([flight({})], ['2013-11-01']);
    const request = events.find((e) => e.kind === 'request');
    const actual = events.find((e) => e.kind === 'actual');
    assert.ok(request?.kind === 'request' && actual?.kind === 'actual');
    const parsed = parseRequest(JSON.stringify(request.request));
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.equal(request.request.UUID, 'replay:2013-11-01|UA|1545|EWR|ORD');
    assert.ok(parseActualObject(actual.actual).ok);
  });

  it('never reports an arrival before its own request', () => {
    const { events } = replayEvents([flight({ CRSArrTime: '2013-11-01T05:00:00', ArrDelay: -20 })], ['2013-11-01']);
    assert.equal(events[1]!.at - events[0]!.at, 60_000);
  });

  it('names a bad --from or --days', () => {
    assert.deepEqual(replayDates('2013-12-30', 3), ['2013-12-30', '2013-12-31', '2014-01-01']);
    assert.throws(() => replayDates('2013-13-01', 1), /--from/);
    assert.throws(() => replayDates('2013-11-01', 0), /--days/);
  });
});
