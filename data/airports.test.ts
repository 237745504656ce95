import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { greatCircleMiles, loadAirports, parseAirports, splitCsvLine } from './airports';

describe('airports', () => {
  it('reads vega-datasets airports.csv by IATA code', () => {
    const airports = loadAirports();
    assert.equal(airports.size, 3376);
    assert.deepEqual(airports.get('JFK'), {
      iata: 'JFK', name: 'John F Kennedy Intl', city: 'New York', state: 'NY', country: 'USA',
      latitude: 40.63975111, longitude: -73.77892556,
    });
    assert.equal(airports.get('DBN')?.name, 'W. H. "Bud" Barron');
    assert.equal(airports.get('CLD')?.city, null); // NA in the file
  });

  it('splits quoted CSV fields', () => {
    assert.deepEqual(splitCsvLine('35A,"Union County, Troy Shelton",Union,SC'), ['35A', 'Union County, Troy Shelton', 'Union', 'SC']);
    assert.deepEqual(splitCsvLine('a,"say ""hi""",'), ['a', 'say "hi"', '']);
  });

  it('names the line it cannot read', () => {
    const csv = 'iata,name,city,state,country,latitude,longitude\nJFK,Kennedy,New York,NY,USA,40.6,-73.8\nXXX,Nowhere,,,USA,north,-73\n';
    assert.throws(() => parseAirports(csv, 'test.csv'), /test\.csv line 3: expected an IATA code and a latitude and longitude/);
    assert.throws(() => parseAirports('code,lat,lon\n', 'test.csv'), /test\.csv: expected the header "iata,name,/);
  });

  it('measures great-circle miles: JFK–LAX is about 2,475 mi', () => {
    const airports = loadAirports();
    const miles = greatCircleMiles(airports.get('JFK')!, airports.get('LAX')!);
    assert.ok(Math.abs(miles - 2475) / 2475 < 0.01, `${miles}`);
    assert.equal(greatCircleMiles(airports.get('JFK')!, airports.get('JFK')!), 0);
    assert.ok(Math.abs(greatCircleMiles({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 }) - Math.PI * 3958.8) < 1e-6);
  });
});
