import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarFields, hourOf, parseFlightDate } from './calendar';

describe('calendar fields', () => {
  it('numbers days of the week 1 = Monday … 7 = Sunday', () => {
    assert.equal(calendarFields('2013-01-07').DayOfWeek, 1); // a Monday
    assert.equal(calendarFields('2013-01-12').DayOfWeek, 6);
    assert.equal(calendarFields('2013-01-13').DayOfWeek, 7); // a Sunday
    assert.equal(calendarFields('2016-12-25').DayOfWeek, 7); // the seed form's default date
  });

  it('counts the day of the year from 1, leap years included', () => {
    assert.deepEqual(calendarFields('2013-01-01'), { DayOfMonth: 1, DayOfWeek: 2, DayOfYear: 1 });
    assert.equal(calendarFields('2013-12-31').DayOfYear, 365);
    assert.equal(calendarFields('2016-12-31').DayOfYear, 366);
    assert.equal(calendarFields('2016-03-01').DayOfYear, 61);
  });

  it('rejects what is not a calendar date, naming the field', () => {
    assert.throws(() => parseFlightDate('2013-02-30'), /FlightDate: "2013-02-30" is not a calendar date/);
    assert.throws(() => parseFlightDate('01/02/2013'), /FlightDate: expected a date "YYYY-MM-DD"/);
    assert.throws(() => parseFlightDate(undefined), /FlightDate/);
  });

  it('reads the hour of a scheduled time', () => {
    assert.equal(hourOf('2013-01-01T05:15:00', 'CRSDepTime'), 5);
    assert.throws(() => hourOf('5:15', 'CRSDepTime'), /CRSDepTime: expected an ISO date-time/);
  });
});
