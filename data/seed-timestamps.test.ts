import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedFlightDate, seedLocalDateTime } from './seed-timestamps';

describe('seed timestamps', () => {
  it('reads the seed own example back to the flight of 31 December 2015 leaving at 11:05', () => {
    // {"CRSArrTime":"2015-12-31T03:20:00.000-08:00","CRSDepTime":"2015-12-31T03:05:00.000-08:00",
    //  "DayOfMonth":31,"DayOfYear":365,"FlightDate":"2015-12-30T16:00:00.000-08:00", TUS → SAN}
    assert.equal(seedFlightDate('2015-12-30T16:00:00.000-08:00'), '2015-12-31');
    assert.equal(seedLocalDateTime('2015-12-31T03:05:00.000-08:00'), '2015-12-31T11:05:00');
    assert.equal(seedLocalDateTime('2015-12-31T03:20:00.000-08:00'), '2015-12-31T11:20:00');
  });

  it('keeps local date-times without an offset, or in UTC, as written', () => {
    assert.equal(seedLocalDateTime('2013-01-01T05:15:00'), '2013-01-01T05:15:00');
    assert.equal(seedLocalDateTime('2013-01-01T05:15'), '2013-01-01T05:15:00');
    assert.equal(seedLocalDateTime('2013-01-01 23:59:59.5Z'), '2013-01-01T23:59:59');
    assert.equal(seedFlightDate('2013-01-01'), '2013-01-01');
  });

  it('crosses midnight and year ends when removing an offset', () => {
    assert.equal(seedLocalDateTime('2015-12-31T20:00:00-05:00'), '2016-01-01T01:00:00');
    assert.equal(seedLocalDateTime('2016-01-01T00:30:00+0100'), '2015-12-31T23:30:00');
  });

  it('answers null for what is not an ISO date-time', () => {
    for (const bad of ['', '2015-12-31', '12/31/2015 10:00', '2015-02-30T10:00:00', '2015-12-31T24:00:00', '2015-12-31T10:00:00+8']) {
      assert.equal(seedLocalDateTime(bad), null, bad);
    }
    assert.equal(seedFlightDate('31.12.2015'), null);
  });
});
