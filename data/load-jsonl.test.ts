import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadJsonl } from './load-jsonl';
import { LoadProgress } from './loaded-flights';

const dir = mkdtempSync(join(tmpdir(), 'load-jsonl-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const seedRow = {
  ArrDelay: 5.0, CRSArrTime: '2015-12-31T03:20:00.000-08:00', CRSDepTime: '2015-12-31T03:05:00.000-08:00', Carrier: 'WN',
  DayOfMonth: 31, DayOfWeek: 4, DayOfYear: 365, DepDelay: 14.0, Dest: 'SAN', Distance: 368.0,
  FlightDate: '2015-12-30T16:00:00.000-08:00', FlightNum: 6109, Origin: 'TUS',
};
const ourRow = {
  ArrDelay: -4, CRSArrTime: '2013-01-02T00:07:00', CRSDepTime: '2013-01-01T19:20:00', Carrier: 'UA', DayOfMonth: 1,
  DayOfWeek: 2, DayOfYear: 1, DepDelay: 9, Dest: 'BQN', Distance: 1585, FlightDate: '2013-01-01', FlightNum: '1071', Origin: 'EWR',
};
const lines = [
  /* 1 */ JSON.stringify(seedRow),
  /* 2 */ '',
  /* 3 */ '{"ArrDelay": 5,',
  /* 4 */ '[1, 2]',
  /* 5 */ JSON.stringify({ ...ourRow, Origin: '', Distance: 'far' }),
  /* 6 */ JSON.stringify({ ...ourRow, ArrDelay: null }),
  /* 7 */ JSON.stringify({ ...ourRow, DepDelay: undefined }),
  /* 8 */ JSON.stringify({ ...ourRow, ArrDelay: null, DepDelay: null }),
  /* 9 */ JSON.stringify({ ...ourRow, FlightDate: '2013-02-30' }),
  /* 10 */ JSON.stringify({ ...ourRow, FlightDate: '2015-01-04', DayOfWeek: 1 }), // a Sunday, stored Sunday = 1
  /* 11 */ JSON.stringify({ ...ourRow, ArrDelay: '12' }),
  /* 12 */ JSON.stringify(ourRow),
];
const content = `${lines.join('\n')}\n`;

function write(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function bzip2(path: string): string | null {
  const r = spawnSync('bzip2', ['-k', '-f', path]);
  return r.error || r.status !== 0 ? null : `${path}.bz2`;
}

const plain = write('rows.jsonl', content);
const gzipped = write('rows.jsonl.gz', gzipSync(content));
const bzipped = bzip2(write('rows-for-bz2.jsonl', content));

for (const [kind, path] of [['.jsonl', plain], ['.jsonl.gz', gzipped], ['.jsonl.bz2', bzipped]] as const) {
  describe(`loading a ${kind} file with bad lines`, { skip: path === null && 'the bzip2 command-line tool is not installed' }, () => {
    it('keeps the good rows, drops rows without delays, reports malformed rows by line', async () => {
      const loaded = await loadJsonl(path!);
      assert.deepEqual({ ...loaded.stats, malformedSamples: undefined }, {
        rowsRead: 11, kept: 3, dropped: 3, droppedNoArrDelay: 2, droppedNoDepDelay: 2, malformed: 5,
        malformedSamples: undefined, calendarCorrected: 1,
      });
      assert.deepEqual(loaded.stats.malformedSamples.map((s) => s.line), [3, 4, 5, 9, 11]);
      const reasons = loaded.stats.malformedSamples.map((s) => s.reason);
      assert.match(reasons[0]!, /^not valid JSON/);
      assert.equal(reasons[1], 'expected a JSON object, got an array');
      assert.equal(reasons[2], 'Distance: expected a finite number ≥ 0 (miles) or null, got "far"; Origin: expected a non-empty string, got ""');
      assert.equal(reasons[3], 'FlightDate: "2013-02-30" is not a calendar date');
      assert.equal(reasons[4], 'ArrDelay: expected a finite number (minutes) or null, got "12"');
      assert.equal(loaded.contentHash, createHash('sha256').update(readFileSync(path!)).digest('hex'));
    });

    it('turns seed timestamps into local date-times and recomputes calendar fields', async () => {
      const { records, columns } = await loadJsonl(path!);
      assert.deepEqual(records[0], {
        ArrDelay: 5, CRSArrTime: '2015-12-31T11:20:00', CRSDepTime: '2015-12-31T11:05:00', Carrier: 'WN',
        DayOfMonth: 31, DayOfWeek: 4, DayOfYear: 365, DepDelay: 14, Dest: 'SAN', Distance: 368,
        FlightDate: '2015-12-31', FlightNum: '6109', Origin: 'TUS',
      });
      assert.deepEqual(
        { date: records[1]!.FlightDate, dayOfWeek: records[1]!.DayOfWeek, dayOfYear: records[1]!.DayOfYear },
        { date: '2015-01-04', dayOfWeek: 7, dayOfYear: 4 },
      );
      assert.deepEqual(records[2], ourRow);
      assert.equal(columns.length, 13);
    });
  });
}

describe('loading JSONL with options and failures', () => {
  it('stops at a limit, still hashing the whole file', async () => {
    const loaded = await loadJsonl(gzipped, { limit: 4 });
    assert.equal(loaded.stats.rowsRead, 4);
    assert.equal(loaded.stats.kept, 1);
    assert.equal(loaded.contentHash, createHash('sha256').update(readFileSync(gzipped)).digest('hex'));
  });

  it('reports progress ending at the whole file', async () => {
    const seen: LoadProgress[] = [];
    await loadJsonl(plain, { onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.at(-1), { rows: 11, bytes: Buffer.byteLength(content), totalBytes: Buffer.byteLength(content) });
  });

  it('names the file and says what to do when it is corrupt', async () => {
    const broken = write('broken.jsonl.gz', gzipSync(content).subarray(0, 40));
    await assert.rejects(loadJsonl(broken), (err: Error) => {
      assert.match(err.message, /broken\.jsonl\.gz: could not read it as gzip .*corrupt or truncated/);
      return true;
    });
  });

  it('reports every malformed row in the count but keeps only the first 20 samples', async () => {
    const path = write('many-bad.jsonl', `${Array.from({ length: 30 }, () => 'nope').join('\n')}\n${JSON.stringify(ourRow)}`);
    const { stats } = await loadJsonl(path);
    assert.equal(stats.malformed, 30);
    assert.equal(stats.malformedSamples.length, 20);
    assert.equal(stats.kept, 1);
  });
});
