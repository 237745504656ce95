import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actualClass, flightKey, parseActual, parseActualObject } from './actual';

const good = { FlightDate: '2013-11-03', Carrier: 'ua', FlightNum: 1545, Origin: ' EWR', Dest: 'IAH', ArrDelay: -7 };

describe('an actual arrival', () => {
  it('is normalized like a request (codes uppercased and trimmed, the flight number a string) and keyed by its flight', () => {
    const r = parseActual(JSON.stringify(good));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.actual, { FlightDate: '2013-11-03', Carrier: 'UA', FlightNum: '1545', Origin: 'EWR', Dest: 'IAH', ArrDelay: -7, ArrTime: null });
    assert.equal(flightKey(r.actual), '2013-11-03|UA|1545|EWR|IAH');
  });

  it('keeps its key free of what JSON escapes, so that ids starting with it are found by prefix', () => {
    const key = flightKey({ FlightDate: '2013-11-03', Carrier: 'UA', FlightNum: 'A"1\\<&>|#', Origin: 'EWR', Dest: 'IAH' });
    assert.equal(key, '2013-11-03|UA|A%221%5C%3C%26%3E%7C%23|EWR|IAH');
    assert.doesNotMatch(key, /["\\<>&]/);
  });

  it('names every bad field, in the order of the fields, the first as `field`', () => {
    const r = parseActualObject({ ...good, FlightDate: '2013-02-30', ArrDelay: '5', FlightNum: '' });
    assert.ok(!r.ok);
    assert.equal(r.field, 'FlightDate');
    assert.match(r.reason, /^FlightDate: expected a calendar date "YYYY-MM-DD", got "2013-02-30"; FlightNum: expected a flight number.*; ArrDelay: expected a finite number of minutes \(a JSON number\), got "5"$/);
  });

  it('refuses a missing key field, Origin = Dest, unknown fields, NaN and malformed JSON, saying what to do', () => {
    const { FlightNum: _n, ...noNum } = good;
    assert.deepEqual(parseActualObject(noNum), { ok: false, field: 'FlightNum', reason: 'FlightNum: missing; expected a flight number: a string of 1 to 20 printable ASCII characters, or a whole number up to 999999999' });
    assert.equal((parseActualObject({ ...good, Dest: 'ewr' }) as { field: string }).field, 'Dest');
    assert.match((parseActualObject({ ...good, Delay: 3 }) as { reason: string }).reason, /Unrecognized key/);
    assert.match((parseActual('{"ArrDelay": NaN}') as { reason: string }).reason, /ArrDelay is NaN, which JSON cannot carry/);
    assert.match((parseActual(null) as { reason: string }).reason, /tombstone/);
    assert.equal((parseActual('[1]') as { reason: string }).reason, 'not an actual: expected a JSON object with the actual fields, got an array');
  });

  it('falls in the model\'s delay classes: split at -15, 0 and 30 minutes', () => {
    assert.deepEqual([-40, -15, -1, 0, 29, 30, 300].map(actualClass), [0, 1, 1, 2, 2, 3, 3]);
  });
});
