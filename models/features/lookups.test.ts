import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateAndHour, FlightLookups, scheduledDateTime, type WeatherRow } from './lookups';
import { featureSets, lookupContext, lookedUpValue } from './flight-features';
import { FeaturePipeline, type FeatureLookupReport } from './pipeline';

const weather = (Origin: string, Date: string, Hour: number, Temp: number | null): WeatherRow => ({
  Origin, Date, Hour, Temp, Dewp: 20, Humid: 50, WindDir: 270, WindSpeed: 10, WindGust: null, Precip: 0, Pressure: 1012, Visib: 10,
});

const lookups = new FlightLookups({
  weather: [weather('EWR', '2013-01-01', 5, 39), weather('EWR', '2013-01-01', 5, 99), weather('EWR', '2013-01-02', 0, null)],
  planes: [{ TailNum: 'N14228', Year: 1999, Seats: 149 }],
  schedule: [
    { Carrier: 'UA', FlightNum: '1545', Origin: 'EWR', Days: { '2013-01-01': { Dep: 515, Arr: 819, TailNum: 'N14228' }, '2013-01-02': { Dep: 2359, Arr: 30, TailNum: 'N0NE' } } },
    { Carrier: 'AA', FlightNum: '1', Origin: 'EWR', Days: { '2013-01-01': { Dep: 550, Arr: 900, TailNum: null }, '2013-01-02': { Dep: 2400, Arr: 300, TailNum: null } } },
  ],
});

describe('scheduled times', () => {
  it('dates an HHMM as the converter does: 2400 is midnight of the next day', () => {
    assert.equal(scheduledDateTime('2013-01-01', 515), '2013-01-01T05:15:00');
    assert.equal(scheduledDateTime('2013-12-31', 2400), '2014-01-01T00:00:00');
    assert.equal(scheduledDateTime('2013-01-01', 1275), undefined);
    assert.deepEqual(dateAndHour('2013-01-01T05:15:00'), { date: '2013-01-01', hour: 5 });
    assert.equal(dateAndHour('2013-01-01'), undefined);
  });
});

describe('FlightLookups', () => {
  it('keeps the first row of a repeated weather hour and counts departures per origin, date and hour', () => {
    assert.equal(lookups.weatherAt('EWR', '2013-01-01', 5)?.Temp, 39);
    assert.equal(lookups.departuresOn('EWR', '2013-01-01')?.[5], 2);
    // AA 1 at 2400 on the 2nd departs at 00:00 on the 3rd.
    assert.equal(lookups.departuresOn('EWR', '2013-01-03')?.[0], 1);
    assert.deepEqual(lookups.sizes, { weather: 2, planes: 1, schedule: 2 });
  });

  it('takes the scheduled times and the tail number from the schedule when the flight has none', () => {
    const ctx = lookupContext({ Origin: 'EWR', Dest: 'IAH', Carrier: 'UA', FlightNum: '1545', FlightDate: '2013-01-02' }, lookups);
    assert.equal(ctx.depTime, '2013-01-02T23:59:00');
    // Arrival HHMM before the departure's: the next day.
    assert.equal(ctx.arrTime, '2013-01-03T00:30:00');
    assert.equal(ctx.depLookedUp && ctx.arrLookedUp, true);
    assert.equal(ctx.plane, undefined, 'N0NE is not in planes');
    assert.ok(Number.isNaN(lookedUpValue('PlaneYear', ctx).value));
  });

  it("prefers the flight's own CRSDepTime and reports it as not looked up", () => {
    const ctx = lookupContext({ Origin: 'EWR', Dest: 'IAH', Carrier: 'UA', FlightNum: '1545', FlightDate: '2013-01-01', CRSDepTime: '2013-01-01T05:40:00' }, lookups);
    assert.deepEqual(lookedUpValue('CRSDepHour', ctx), { value: 5, lookedUp: false });
    assert.deepEqual(lookedUpValue('Temp', ctx), { value: 39, lookedUp: true });
    assert.deepEqual(lookedUpValue('PlaneSeats', ctx), { value: 149, lookedUp: true });
    assert.deepEqual(lookedUpValue('OriginHourDepartures', ctx), { value: 2, lookedUp: true });
    assert.deepEqual(lookedUpValue('OriginDayDepartures', ctx), { value: 2, lookedUp: true });
  });
});

describe('FeaturePipeline with lookups', () => {
  const flight = { Origin: 'EWR', Dest: 'IAH', Carrier: 'UA', FlightNum: '1545', DepDelay: 2, Distance: 1400, FlightDate: '2013-01-01' };
  const full = FeaturePipeline.fit([flight], { columns: ['Origin', 'Dest', 'Carrier', 'DepDelay', 'Distance', 'FlightDate', 'CRSDepTime', 'CRSArrTime', 'FlightNum'], featureSet: 'full' });

  it('lists the looked-up features, and a flight off the tables gets NaN for each, listed as missing (no error)', () => {
    const found: FeatureLookupReport = { lookedUp: [], missing: [] };
    const row = full.transformOne(flight, lookups, found);
    assert.equal(row[full.features.indexOf('Temp')], 39);
    assert.equal(row[full.features.indexOf('CRSArrHour')], 8);
    // 05:15 to 08:19 (each local): 184 minutes, over 1,400 miles.
    assert.equal(row[full.features.indexOf('ScheduledMinutes')], 184);
    assert.equal(row[full.features.indexOf('ScheduledMinutesPerMile')], 184 / 1400);
    assert.deepEqual(found.missing, []);
    assert.deepEqual(found.lookedUp, full.features.filter((f) => !featureSets.seed.includes(f)));

    const lost: FeatureLookupReport = { lookedUp: [], missing: [] };
    const off = full.transformOne({ ...flight, FlightNum: '9999' }, lookups, lost);
    const lookedUpFeatures = full.features.filter((f) => !featureSets.seed.includes(f));
    assert.deepEqual(lost.missing, lookedUpFeatures);
    assert.deepEqual(lost.lookedUp, []);
    for (const f of lookedUpFeatures) assert.ok(Number.isNaN(off[full.features.indexOf(f)]), f);
  });

  it("leaves 'seed' and 'rich' as they were: no lookups, empty reports, rich still requires CRSDepTime", () => {
    const seed = FeaturePipeline.fit([flight], { columns: ['Origin', 'Dest', 'Carrier', 'DepDelay', 'Distance', 'FlightDate'] });
    const report: FeatureLookupReport = { lookedUp: [], missing: [] };
    seed.transformOne(flight, lookups, report);
    assert.deepEqual(report, { lookedUp: [], missing: [] });
    assert.equal(seed.usesLookups, false);
    const rich = FeaturePipeline.fit([flight], { columns: ['Origin', 'Dest', 'Carrier', 'DepDelay', 'Distance', 'FlightDate', 'CRSDepTime'], featureSet: 'rich' });
    assert.throws(() => rich.transformOne(flight, lookups), /CRSDepTime/);
  });

  it('saves and loads the feature set', () => {
    const loaded = FeaturePipeline.load(JSON.parse(JSON.stringify(full)));
    assert.equal(loaded.featureSet, 'full');
    assert.deepEqual(loaded.features, full.features);
    assert.throws(() => FeaturePipeline.load({ ...JSON.parse(JSON.stringify(full)), featureSet: 'nope' }), /featureSet "nope"/);
  });
});
