/**
 * The HDFS Parquet sink against the real HDFS of the stack (npm run stack -- up hdfs, or WEBHDFS_URL),
 * and the text file sink on the local disk. HDFS files go under a fresh /tmp/test-sinks-<random>
 * folder, removed at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { config } from '../common/config';
import { silentLogger } from '../common/logger';
import type { PredictionResult } from '../common/prediction/result';
import { hdfsParquetSink } from '../activities/streaming/sinks/hdfs-parquet-sink';
import { resultFromParquetRow } from '../common/prediction/parquet-schema';
import { activeSpoolName, toJsonLines } from '../activities/streaming/sinks/parquet-spool';
import { textFileSink } from '../activities/streaming/sinks/text-file-sink';

const labels = ['Early (15+ Minutes Early)', 'Slightly Early (0-15 Minute Early)', 'Slightly Late (0-30 Minute Delay)', 'Very Late (30+ Minutes Late)'];

function result(i: number, date: string): PredictionResult {
  const prediction = i % 4;
  const [, month, day] = date.split('-').map(Number);
  return {
    UUID: randomBytes(16).toString('hex'),
    Origin: ['ATL', 'JFK', 'ORD'][i % 3]!,
    Dest: ['SFO', 'LAX'][i % 2]!,
    Carrier: ['AA', 'DL', 'UA'][i % 3]!,
    DepDelay: (i % 90) - 15,
    Distance: 500 + (i % 2000),
    DistanceSource: 'table',
    FlightDate: date,
    FlightNum: i % 10 === 0 ? null : String(1000 + (i % 900)),
    DayOfWeek: (i % 7) + 1,
    DayOfMonth: day!,
    DayOfYear: (month! - 1) * 31 + day!,
    Route: 'ATL-SFO',
    Prediction: prediction,
    PredictionLabel: labels[prediction]!,
    Probabilities: [0, 1, 2, 3].map((k) => (k === prediction ? 0.55 + (i % 40) / 100 : 0.05)),
    FeatureLookups: { lookedUp: [], missing: [] },
    ModelVersion: '7',
    RequestTimestamp: new Date(Date.UTC(2024, 0, 15, 10) + i).toISOString(),
    ScoredAt: new Date(Date.UTC(2024, 0, 15, 10) + i + 20).toISOString(),
  };
}
const batch = (from: number, count: number, date: string): PredictionResult[] =>
  Array.from({ length: count }, (_, i) => result(from + i, date));

const quiet = silentLogger;

describe('streaming sinks (real HDFS)', () => {
  const hdfs = WebHdfsClient.fromConfig(config());
  const root = `/tmp/test-sinks-${randomBytes(6).toString('hex')}`;
  let local = '';

  /** Every Parquet file under `base`, partition by partition, read back from HDFS with hyparquet. */
  async function readPartitions(base: string): Promise<Map<string, PredictionResult[][]>> {
    const { parquetReadObjects } = await import('hyparquet');
    const out = new Map<string, PredictionResult[][]>();
    for (const partition of await hdfs.listStatus(base)) {
      assert.equal(partition.type, 'DIRECTORY');
      const files = await hdfs.listStatus(`${base}/${partition.pathSuffix}`);
      assert.ok(files.every((f) => /^part-\d{8}T\d{9}Z-[0-9a-f]{8}\.parquet$/.test(f.pathSuffix)), `only final Parquet files: ${files.map((f) => f.pathSuffix).join(', ')}`);
      const tables: PredictionResult[][] = [];
      for (const f of files) {
        const bytes = await hdfs.open(`${base}/${partition.pathSuffix}/${f.pathSuffix}`);
        assert.equal(bytes.byteLength, f.length);
        const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        const date = partition.pathSuffix.replace('FlightDate=', '');
        tables.push((await parquetReadObjects({ file })).map((row) => resultFromParquetRow(row, date)));
      }
      out.set(partition.pathSuffix, tables);
    }
    return out;
  }

  before(async () => {
    assert.equal(await hdfs.exists(root), false, `${root} should not exist before the test`);
    local = await mkdtemp(join(tmpdir(), 'streaming-sinks-'));
  });
  after(async () => {
    await hdfs.delete(root, { recursive: true }).catch(() => undefined);
    await rm(local, { recursive: true, force: true });
  });

  it('two batches across two dates → flush → two partitions whose Parquet rows add up', async () => {
    const base = `${root}/predictions`;
    const sink = await hdfsParquetSink({ hdfs, spoolDir: join(local, 'spool-a'), baseDir: base, logger: quiet });
    try {
      const first = [...batch(0, 600, '2024-01-15'), ...batch(600, 400, '2024-01-16')];
      const second = [...batch(1000, 250, '2024-01-16'), ...batch(1250, 750, '2024-01-15')];
      await sink.accept(first);
      await sink.accept(second);
      assert.equal(await hdfs.exists(base), false, 'nothing on HDFS before the roll');
      await sink.flush();

      const partitions = await readPartitions(base);
      assert.deepEqual([...partitions.keys()], ['FlightDate=2024-01-15', 'FlightDate=2024-01-16']);
      const day15 = partitions.get('FlightDate=2024-01-15')!;
      const day16 = partitions.get('FlightDate=2024-01-16')!;
      assert.equal(day15.length, 1, 'one file per partition per roll');
      assert.equal(day15.flat().length + day16.flat().length, first.length + second.length);
      assert.deepEqual(day15.flat(), [...first, ...second].filter((r) => r.FlightDate === '2024-01-15'));
      assert.deepEqual(day16.flat(), [...first, ...second].filter((r) => r.FlightDate === '2024-01-16'));
      assert.equal(sink.stats().uploadedRows, 2_000);
    } finally {
      await sink.close();
    }
  });

  it('rolls by rows into several files, and at start uploads what a crashed run left in the spool', async () => {
    const base = `${root}/rolled`;
    const spoolDir = join(local, 'spool-b');
    const sink = await hdfsParquetSink({ hdfs, spoolDir, baseDir: base, maxRows: 1_000, logger: quiet });
    for (let i = 0; i < 5; i++) await sink.accept(batch(i * 500, 500, '2024-02-01'));
    await sink.settled();
    assert.equal(sink.stats().pendingFiles, 0, sink.stats().lastError);
    await sink.close();
    // A crash: an active spool file with an unfinished last line.
    await writeFile(join(spoolDir, activeSpoolName('2024-02-02')), toJsonLines(batch(0, 300, '2024-02-02')) + '{"UUID":');

    const restarted = await hdfsParquetSink({ hdfs, spoolDir, baseDir: base, logger: quiet });
    await restarted.close();
    assert.deepEqual(await readdir(spoolDir), []);
    const partitions = await readPartitions(base);
    assert.deepEqual(partitions.get('FlightDate=2024-02-01')!.map((t) => t.length).sort(), [1000, 1000, 500]);
    assert.deepEqual(partitions.get('FlightDate=2024-02-02')!.map((t) => t.length), [300]);
  });

  it('text sink: writes the lines on accept, and in interval mode on the interval', async () => {
    const path = join(local, 'text', 'flight_delay_ml_response.txt');
    const read = async () => (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as PredictionResult);
    const now = await textFileSink({ path, logger: quiet });
    const first = batch(0, 3, '2024-01-15');
    await now.accept(first);
    assert.deepEqual(await read(), first);
    await now.close();

    const timed = await textFileSink({ path, mode: 'interval', intervalMs: 50, logger: quiet });
    const second = batch(3, 2, '2024-01-15');
    await timed.accept(second);
    assert.equal((await read()).length, 3);
    for (let i = 0; i < 50 && timed.bufferedLines > 0; i++) await sleep(20);
    assert.deepEqual(await read(), [...first, ...second]);
    await timed.close();
  });

  it('measures: accept throughput in batches of 1,000, and Parquet bytes per 100k rows', async (t) => {
    const sink = await hdfsParquetSink({ hdfs, spoolDir: join(local, 'spool-c'), baseDir: `${root}/measure`, maxRows: 100_000, logger: quiet });
    try {
      // Random UUIDs and probabilities, as real results have: they are most of a file's bytes.
      const randomProbabilities = (): number[] => {
        const raw = [Math.random(), Math.random(), Math.random(), Math.random()];
        const sum = raw.reduce((a, b) => a + b, 0);
        return raw.map((p) => p / sum);
      };
      const batches = Array.from({ length: 100 }, (_, b) =>
        batch(b * 1_000, 1_000, '2024-03-01').map((r) => ({ ...r, Probabilities: randomProbabilities() })),
      );
      const started = process.hrtime.bigint();
      for (let b = 0; b < 99; b++) await sink.accept(batches[b]!);
      const acceptMs = Number(process.hrtime.bigint() - started) / 1e6;
      const rollStarted = process.hrtime.bigint();
      await sink.accept(batches[99]!); // the 100,000th row: rolls in the background
      await sink.settled();
      const rollMs = Number(process.hrtime.bigint() - rollStarted) / 1e6;
      const stats = sink.stats();
      assert.equal(stats.uploadedRows, 100_000, stats.lastError);
      t.diagnostic(`accept: ${Math.round((99_000 / acceptMs) * 1000)} results/s (99 batches of 1,000, one fsync each, no roll)`);
      t.diagnostic(`roll of 100,000 rows (spool → Parquet → HDFS): ${Math.round(rollMs)} ms; Parquet file ${stats.uploadedBytes} bytes (${(stats.uploadedBytes / 1e5).toFixed(1)} B/row)`);
    } finally {
      await sink.close();
    }
  });
});
