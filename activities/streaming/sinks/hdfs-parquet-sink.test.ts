import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HdfsData } from '../../../common/clients/webhdfs';
import { silentLogger } from '../../../common/logger';
import type { PredictionResult } from '../../../common/prediction/result';
import { hdfsParquetSink, type HdfsParquetSink, type HdfsParquetSinkOptions, type ParquetHdfs } from './hdfs-parquet-sink';
import { resultFromParquetRow, resultsToParquet } from '../../../common/prediction/parquet-schema';
import { activeSpoolName, newPartName, sealedSpoolName, toJsonLines } from './parquet-spool';

function result(i: number, date = '2024-01-15'): PredictionResult {
  return {
    UUID: `uuid-${date}-${i}`,
    Origin: 'ATL',
    Dest: 'SFO',
    Carrier: 'AA',
    DepDelay: i,
    Distance: 2139,
    DistanceSource: 'table',
    FlightDate: date,
    FlightNum: String(i),
    DayOfWeek: 1,
    DayOfMonth: 15,
    DayOfYear: 15,
    Route: 'ATL-SFO',
    Prediction: 2,
    PredictionLabel: 'Slightly Late (0-30 Minute Delay)',
    Probabilities: [0.1, 0.2, 0.6, 0.1],
    FeatureLookups: { lookedUp: [], missing: [] },
    ModelVersion: '1',
    RequestTimestamp: '2024-01-15T10:00:00.000Z',
    ScoredAt: '2024-01-15T10:00:00.010Z',
  };
}
const batch = (from: number, count: number, date?: string): PredictionResult[] =>
  Array.from({ length: count }, (_, i) => result(from + i, date));

/** HDFS in memory, with WebHDFS's rules for create (no overwrite unless asked) and rename (no clobbering). */
class MemoryHdfs implements ParquetHdfs {
  readonly files = new Map<string, Uint8Array>();
  creates = 0;
  failing: Error | undefined;

  create(path: string, data: HdfsData, options: { overwrite?: boolean } = {}): Promise<void> {
    if (this.failing) return Promise.reject(this.failing);
    if (this.files.has(path) && !options.overwrite) return Promise.reject(new Error(`FileAlreadyExistsException: ${path}`));
    this.creates++;
    this.files.set(path, typeof data === 'string' ? Buffer.from(data) : data);
    return Promise.resolve();
  }

  rename(from: string, to: string): Promise<void> {
    const data = this.files.get(from);
    if (!data || this.files.has(to)) return Promise.reject(new Error(`rename ${from} → ${to} refused`));
    this.files.delete(from);
    this.files.set(to, data);
    return Promise.resolve();
  }

  exists(path: string): Promise<boolean> {
    if (this.failing) return Promise.reject(this.failing);
    return Promise.resolve(this.files.has(path));
  }

  /** Rows of each Parquet file, by path. */
  async rows(): Promise<Map<string, PredictionResult[]>> {
    const { parquetReadObjects } = await import('hyparquet');
    const out = new Map<string, PredictionResult[]>();
    for (const [path, bytes] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const date = /FlightDate=(\d{4}-\d{2}-\d{2})\//.exec(path)?.[1] ?? 'no partition in the path';
      out.set(path, (await parquetReadObjects({ file })).map((row) => resultFromParquetRow(row, date)));
    }
    return out;
  }
}

const quiet = silentLogger;

describe('HDFS Parquet sink', () => {
  let spoolDir = '';
  let hdfs: MemoryHdfs;
  let clock = 0;
  const open: HdfsParquetSink[] = [];
  const sink = async (options: Partial<HdfsParquetSinkOptions> = {}): Promise<HdfsParquetSink> => {
    const s = await hdfsParquetSink({ hdfs, spoolDir, baseDir: '/p', checkIntervalMs: 0, logger: quiet, now: () => clock, ...options });
    open.push(s);
    return s;
  };

  beforeEach(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'hdfs-parquet-sink-'));
    hdfs = new MemoryHdfs();
    clock = Date.parse('2024-01-15T10:00:00Z');
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close().catch(() => undefined);
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('spools each date on accept and writes one Parquet file per date partition on flush', async () => {
    const s = await sink();
    await s.accept([...batch(0, 3, '2024-01-15'), ...batch(0, 2, '2024-01-16')]);
    await s.accept(batch(3, 4, '2024-01-15'));
    assert.equal(hdfs.files.size, 0, 'nothing reaches HDFS before a roll');
    assert.deepEqual((await readdir(spoolDir)).sort(), ['2024-01-15.active.jsonl', '2024-01-16.active.jsonl', 'spool.lock']);
    assert.equal(s.stats().spooledRows, 9);

    await s.flush();
    const files = await hdfs.rows();
    const paths = [...files.keys()];
    assert.equal(paths.length, 2);
    assert.match(paths[0]!, /^\/p\/FlightDate=2024-01-15\/part-20240115T100000000Z-[0-9a-f]{8}\.parquet$/);
    assert.match(paths[1]!, /^\/p\/FlightDate=2024-01-16\/part-\d{8}T\d{9}Z-[0-9a-f]{8}\.parquet$/);
    assert.deepEqual(files.get(paths[0]!), batch(0, 7, '2024-01-15'));
    assert.deepEqual(files.get(paths[1]!), batch(0, 2, '2024-01-16'));
    assert.deepEqual(await readdir(spoolDir), ['spool.lock'], 'spool files are deleted once uploaded');
    assert.deepEqual(s.stats(), { spooledRows: 0, pendingFiles: 0, uploadedFiles: 2, uploadedRows: 9, uploadedBytes: s.stats().uploadedBytes, lastError: undefined });

    await s.flush();
    assert.equal(hdfs.files.size, 2, 'a flush with nothing spooled writes nothing');
  });

  it('rolls by rows: a file closes once it holds maxRows (a batch is never split)', async () => {
    const s = await sink({ maxRows: 5 });
    await s.accept(batch(0, 3));
    await s.accept(batch(3, 3));
    await s.accept(batch(6, 2));
    await s.settled();
    const files = [...(await hdfs.rows()).values()];
    assert.deepEqual(files, [batch(0, 6)]);
    assert.equal(s.stats().spooledRows, 2);
  });

  it('rolls by bytes of spooled JSON', async () => {
    const lineBytes = toJsonLines([result(0)]).length;
    const s = await sink({ maxBytes: lineBytes * 4 });
    for (let i = 0; i < 10; i += 2) await s.accept(batch(i, 2));
    await s.settled();
    assert.deepEqual([...(await hdfs.rows()).values()].map((rows) => rows.length), [4, 4]);
    assert.equal(s.stats().spooledRows, 2);
  });

  it('rolls by age on the next accept, even an empty one', async () => {
    const s = await sink({ maxAgeMs: 60_000 });
    await s.accept(batch(0, 2));
    clock += 59_999;
    await s.accept([]);
    await s.settled();
    assert.equal(hdfs.files.size, 0);
    clock += 1;
    await s.accept([]);
    await s.settled();
    assert.deepEqual([...(await hdfs.rows()).values()], [batch(0, 2)]);
  });

  it('rolls by age on its own timer when no accept comes', async () => {
    const s = await sink({ maxAgeMs: 1_000, checkIntervalMs: 10 });
    await s.accept(batch(0, 2));
    clock += 1_000;
    for (let i = 0; i < 100 && hdfs.files.size === 0; i++) await sleep(10);
    await s.settled();
    assert.deepEqual([...(await hdfs.rows()).values()], [batch(0, 2)]);
  });

  it('at start, rolls the spool files a crash left behind, without publishing one twice', async () => {
    await mkdir(spoolDir, { recursive: true });
    // An active file whose last append was cut short by the crash.
    await writeFile(join(spoolDir, activeSpoolName('2024-01-15')), toJsonLines(batch(0, 3)) + '{"UUID":"half');
    // A sealed file not uploaded yet.
    const pending = newPartName(new Date(clock));
    await writeFile(join(spoolDir, sealedSpoolName('2024-01-16', pending)), toJsonLines(batch(0, 2, '2024-01-16')));
    // A sealed file already published: the crash came between the rename on HDFS and the local delete.
    const published = newPartName(new Date(clock));
    await writeFile(join(spoolDir, sealedSpoolName('2024-01-17', published)), toJsonLines(batch(0, 4, '2024-01-17')));
    hdfs.files.set(`/p/FlightDate=2024-01-17/${published}.parquet`, await resultsToParquet(batch(0, 4, '2024-01-17')));
    // A stale lock of a process that is gone.
    await writeFile(join(spoolDir, 'spool.lock'), '999999999\n');

    const s = await sink();
    assert.deepEqual(await readdir(spoolDir), ['spool.lock']);
    const files = await hdfs.rows();
    assert.equal(files.size, 3);
    assert.deepEqual(files.get(`/p/FlightDate=2024-01-16/${pending}.parquet`), batch(0, 2, '2024-01-16'));
    assert.deepEqual(files.get(`/p/FlightDate=2024-01-17/${published}.parquet`), batch(0, 4, '2024-01-17'));
    const recovered = [...files].find(([path]) => path.startsWith('/p/FlightDate=2024-01-15/'));
    assert.deepEqual(recovered?.[1], batch(0, 3), 'the unfinished line is dropped');
    assert.equal(hdfs.creates, 2, 'the published file is not uploaded again');
    assert.equal(s.stats().uploadedRows, 5);
  });

  it('keeps rolled files while HDFS fails, refuses results past maxPendingFiles, and uploads them once HDFS answers', async () => {
    const s = await sink({ maxRows: 2, maxPendingFiles: 2 });
    hdfs.failing = new Error('cannot reach http://127.0.0.1:9870');
    await s.accept(batch(0, 2));
    await s.accept(batch(2, 2));
    await s.settled();
    assert.equal(s.stats().pendingFiles, 2);
    assert.match(s.stats().lastError ?? '', /cannot reach/);
    await assert.rejects(s.accept(batch(4, 1)), /2 Parquet files wait for their upload to \/p \(last error: cannot reach .*\); no more results/);
    await assert.rejects(s.flush(), /2 spool file\(s\) could not be uploaded to \/p: cannot reach.*retried/);
    assert.equal((await readdir(spoolDir)).filter((f) => f.endsWith('.sealed.jsonl')).length, 2);

    hdfs.failing = undefined;
    await s.flush();
    const files = [...(await hdfs.rows()).values()].sort((a, b) => a[0]!.DepDelay - b[0]!.DepDelay);
    assert.deepEqual(files, [batch(0, 2), batch(2, 2)]);
    await s.accept(batch(4, 1));
    assert.equal(s.stats().lastError, undefined);
  });

  it('refuses a batch with a result that does not fit, spooling none of it', async () => {
    const s = await sink();
    const bad = { ...result(1), FlightDate: '2024/01/15' };
    await assert.rejects(s.accept([result(0), bad]), /result 1 of the batch \(UUID uuid-2024-01-15-1\) does not fit the Parquet schema: FlightDate: expected YYYY-MM-DD/);
    assert.deepEqual(await readdir(spoolDir), ['spool.lock']);
  });

  it('lets one sink at a time use a spool folder', async () => {
    const first = await sink();
    await assert.rejects(sink(), /spool folder .* is in use by another sink of this process/);
    await first.close();
    await assert.rejects(first.accept([result(0)]), /accept\(\) after close\(\)/);
    const second = await sink();
    await second.accept([result(0)]);
    await second.close();
    assert.equal(hdfs.files.size, 1, 'close flushes');
  });

  it('checks its options', async () => {
    await assert.rejects(sink({ maxRows: 0 }), /maxRows must be a positive number, got 0/);
    await assert.rejects(sink({ baseDir: 'relative/dir' }), /baseDir must be an absolute HDFS path/);
    await sink(); // the lock was released by the failed attempts
  });
});
