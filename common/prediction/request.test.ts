import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequest, type ParseResult } from './request';

/** A request as the seed's web app published it. */
const seedRequest = {
  Origin: 'ATL', Dest: 'SFO', Carrier: 'AA', DepDelay: 5.0, Distance: 2139.0, DayOfWeek: 6, DayOfYear: 360, DayOfMonth: 25,
  FlightDate: '2016-12-25', FlightNum: '1519', Timestamp: '2016-12-20T14:05:06.123456', UUID: '8b1f7a52-1c7e-4c1e-9d0f-2b5b8f6f1a10',
};
const message = (fields: Record<string, unknown>) => JSON.stringify({ ...seedRequest, ...fields });
const without = (field: string) => JSON.stringify(Object.fromEntries(Object.entries(seedRequest).filter(([k]) => k !== field)));

function rejected(r: ParseResult): { reason: string; field?: string } {
  if (r.ok) assert.fail(`expected a reject, got ${JSON.stringify(r)}`);
  return r;
}

describe('parseRequest', () => {
  it('reads the seed request, from a Buffer or a string, and drops the calendar fields', () => {
    for (const value of [Buffer.from(JSON.stringify(seedRequest)), JSON.stringify(seedRequest)]) {
      assert.deepEqual(parseRequest(value), {
        ok: true,
        request: {
          UUID: seedRequest.UUID, Origin: 'ATL', Dest: 'SFO', Carrier: 'AA', DepDelay: 5, FlightDate: '2016-12-25',
          Distance: 2139, FlightNum: '1519', Timestamp: '2016-12-20T14:05:06.123Z', CRSDepTime: null,
        },
      });
    }
  });

  it('normalizes: codes trimmed and uppercased, FlightNum number → string, optional fields → null, unknown keys dropped', () => {
    const r = parseRequest(JSON.stringify({
      UUID: 'u-1', Origin: ' jfk ', Dest: 'lax', Carrier: 'b6', DepDelay: -3, FlightDate: '2013-03-01', FlightNum: 1234,
      DayOfWeek: 'garbage', Extra: { $gt: '' },
    }));
    assert.ok(r.ok);
    assert.deepEqual(r.request, {
      UUID: 'u-1', Origin: 'JFK', Dest: 'LAX', Carrier: 'B6', DepDelay: -3, FlightDate: '2013-03-01', Distance: null,
      FlightNum: '1234', Timestamp: null, CRSDepTime: null,
    });
    assert.ok(!('Extra' in r.request) && !('DayOfWeek' in r.request));
    const blanks = parseRequest(message({ Distance: null, FlightNum: '  ', Timestamp: null, CRSDepTime: '2016-12-25T07:45:00' }));
    assert.ok(blanks.ok);
    assert.equal(blanks.request.Distance, null);
    assert.equal(blanks.request.FlightNum, null);
    assert.equal(blanks.request.Timestamp, null);
    assert.equal(blanks.request.CRSDepTime, '2016-12-25T07:45:00');
  });

  it('normalizes Timestamp to an ISO UTC string: offsets applied, none read as UTC, epoch seconds or milliseconds', () => {
    const ts = (Timestamp: unknown) => {
      const r = parseRequest(message({ Timestamp }));
      assert.ok(r.ok, JSON.stringify(r));
      return r.request.Timestamp;
    };
    assert.equal(ts('2016-12-20T14:05:06+02:00'), '2016-12-20T12:05:06.000Z');
    assert.equal(ts('2016-12-20 14:05'), '2016-12-20T14:05:00.000Z');
    assert.equal(ts(1482242706), '2016-12-20T14:05:06.000Z');
    assert.equal(ts(1482242706123), '2016-12-20T14:05:06.123Z');
  });

  it('rejects malformed JSON, an empty message, and JSON that is not an object', () => {
    assert.match(rejected(parseRequest('{"UUID": "x",')).reason, /^malformed JSON: /);
    assert.match(rejected(parseRequest(null)).reason, /^malformed JSON: the message has no value/);
    assert.match(rejected(parseRequest(Buffer.from('  '))).reason, /^malformed JSON: the message is empty/);
    assert.equal(rejected(parseRequest('[1,2]')).reason, 'not a request: expected a JSON object with the request fields, got an array');
    assert.equal(rejected(parseRequest('null')).reason, 'not a request: expected a JSON object with the request fields, got null');
    assert.equal(rejected(parseRequest('42')).reason, 'not a request: expected a JSON object with the request fields, got a number');
  });

  it('names a NaN or Infinity that a producer wrote into the JSON', () => {
    assert.deepEqual(parseRequest(message({ DepDelay: 0 }).replace('"DepDelay":0', '"DepDelay":NaN')), {
      ok: false, field: 'DepDelay', reason: 'malformed JSON: DepDelay is NaN, which JSON cannot carry; send a finite number',
    });
    assert.equal(rejected(parseRequest('{"Distance": -Infinity}')).field, 'Distance');
  });

  it('names each missing required field and its rule', () => {
    for (const field of ['UUID', 'Origin', 'Dest', 'Carrier', 'DepDelay', 'FlightDate']) {
      const r = rejected(parseRequest(without(field)));
      assert.equal(r.field, field);
      assert.match(r.reason, new RegExp(`^${field}: missing; expected `));
    }
    const r = rejected(parseRequest('{}'));
    assert.equal(r.field, 'UUID');
    assert.equal(r.reason.split('; ').filter((part) => / missing$|: missing/.test(part)).length, 6, r.reason);
  });

  it('rejects wrong values with the field, the rule and the value', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ UUID: '' }, 'UUID', 'UUID: expected a non-empty string of at most 100 characters, got ""'],
      [{ UUID: '   ' }, 'UUID', 'UUID: expected a non-empty string of at most 100 characters, got "   "'],
      [{ UUID: 'x'.repeat(101) }, 'UUID', `UUID: expected a non-empty string of at most 100 characters, got "${'x'.repeat(40)}"… (101 characters)`],
      [{ UUID: 7 }, 'UUID', 'UUID: expected a non-empty string of at most 100 characters, got 7'],
      [{ Origin: '' }, 'Origin', 'Origin: expected an airport code of 1 to 10 letters or digits, got ""'],
      [{ Origin: 'ABCDEFGHIJK' }, 'Origin', 'Origin: expected an airport code of 1 to 10 letters or digits, got "ABCDEFGHIJK"'],
      [{ Origin: { $gt: '' } }, 'Origin', 'Origin: expected an airport code of 1 to 10 letters or digits, got {"$gt":""}'],
      [{ Dest: 'S-F' }, 'Dest', 'Dest: expected an airport code of 1 to 10 letters or digits, got "S-F"'],
      [{ Dest: 'atl' }, 'Dest', 'Dest: same airport as Origin (ATL); expected a different airport'],
      [{ Carrier: ['AA'] }, 'Carrier', 'Carrier: expected a carrier code of 1 to 10 letters or digits, got ["AA"]'],
      [{ DepDelay: '5' }, 'DepDelay', 'DepDelay: expected a finite number of minutes (a JSON number), got "5"'],
      [{ DepDelay: 'NaN' }, 'DepDelay', 'DepDelay: expected a finite number of minutes (a JSON number), got "NaN"'],
      [{ DepDelay: null }, 'DepDelay', 'DepDelay: expected a finite number of minutes (a JSON number), got null'],
      [{ FlightDate: '2016-02-30' }, 'FlightDate', 'FlightDate: expected a calendar date "YYYY-MM-DD", got "2016-02-30"'],
      [{ FlightDate: '12/25/2016' }, 'FlightDate', 'FlightDate: expected a calendar date "YYYY-MM-DD", got "12/25/2016"'],
      [{ FlightDate: '2016-12-25T00:00:00' }, 'FlightDate', 'FlightDate: expected a calendar date "YYYY-MM-DD", got "2016-12-25T00:00:00"'],
      [{ Distance: 0 }, 'Distance', 'Distance: expected a positive number of miles (or no Distance, to look it up), got 0'],
      [{ Distance: '2139' }, 'Distance', 'Distance: expected a positive number of miles (or no Distance, to look it up), got "2139"'],
      [{ FlightNum: 15.5 }, 'FlightNum', 'FlightNum: expected a flight number: a string of at most 20 printable ASCII characters, or a whole number up to 999999999, got 15.5'],
      [{ FlightNum: true }, 'FlightNum', 'FlightNum: expected a flight number: a string of at most 20 printable ASCII characters, or a whole number up to 999999999, got true'],
      [{ Timestamp: 'yesterday' }, 'Timestamp', 'Timestamp: expected an ISO 8601 date-time string or epoch seconds/milliseconds as a number, got "yesterday"'],
      [{ Timestamp: -1 }, 'Timestamp', 'Timestamp: expected an ISO 8601 date-time string or epoch seconds/milliseconds as a number, got -1'],
      [{ Timestamp: '2016-13-45T10:00:00' }, 'Timestamp', 'Timestamp: expected an ISO 8601 date-time string or epoch seconds/milliseconds as a number, got "2016-13-45T10:00:00"'],
      [{ Timestamp: { $date: 1 } }, 'Timestamp', 'Timestamp: expected an ISO 8601 date-time string or epoch seconds/milliseconds as a number, got {"$date":1}'],
      [{ FlightNum: '\u{1F600}'.repeat(10) }, 'FlightNum', `FlightNum: expected a flight number: a string of at most 20 printable ASCII characters, or a whole number up to 999999999, got "${'\u{1F600}'.repeat(10)}"`],
      [{ FlightNum: 'x'.repeat(21) }, 'FlightNum', `FlightNum: expected a flight number: a string of at most 20 printable ASCII characters, or a whole number up to 999999999, got "${'x'.repeat(21)}"`],
      [{ CRSDepTime: '07:45' }, 'CRSDepTime', 'CRSDepTime: expected a local date-time "YYYY-MM-DDTHH:MM", got "07:45"'],
      [{ CRSDepTime: '2016-12-25T24:00' }, 'CRSDepTime', 'CRSDepTime: expected a local date-time "YYYY-MM-DDTHH:MM", got "2016-12-25T24:00"'],
    ];
    for (const [fields, field, reason] of cases) {
      assert.deepEqual(parseRequest(message(fields)), { ok: false, field, reason }, JSON.stringify(fields));
    }
  });

  it('rejects a JSON number too large for a double (JSON.parse makes it Infinity)', () => {
    assert.deepEqual(parseRequest(message({ DepDelay: 0 }).replace('"DepDelay":0', '"DepDelay":1e400')), {
      ok: false, field: 'DepDelay', reason: 'DepDelay: expected a finite number of minutes (a JSON number), got Infinity',
    });
  });

  it('lists the checks beyond types too, in field order, when other fields are bad', () => {
    assert.deepEqual(parseRequest(message({ UUID: 5, Dest: 'ATL', FlightDate: '2015-02-29' })), {
      ok: false,
      field: 'UUID',
      reason: 'UUID: expected a non-empty string of at most 100 characters, got 5; ' +
        'Dest: same airport as Origin (ATL); expected a different airport; FlightDate: expected a calendar date "YYYY-MM-DD", got "2015-02-29"',
    });
  });

  it('lists every bad field in one reason, the first one as field', () => {
    assert.deepEqual(parseRequest(message({ Carrier: '', DepDelay: 'late' })), {
      ok: false,
      field: 'Carrier',
      reason: 'Carrier: expected a carrier code of 1 to 10 letters or digits, got ""; ' +
        'DepDelay: expected a finite number of minutes (a JSON number), got "late"',
    });
  });
});
