import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PredictionResult } from '../../../common/prediction-result';
import {
  activeSpoolName,
  AppendOnlyFile,
  newPartName,
  parseSpoolName,
  readSpool,
  resultFromParquetRow,
  resultProblem,
  resultsToParquet,
  sealedSpoolName,
  toJsonLines,
} from './parquet-spool';

const labels = ['Early (15+ Minutes Early)', 'Slightly Early (0-15 Minute Early)', 'Slightly Late (0-30 Minute Delay)', 'Very Late (30+ Minutes Late)'];

function result(i: number, date = '2024-01-15'): PredictionResult {
  const prediction = i % 4;
  return {
    UUID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    Origin: 'ATL',
    Dest: i % 2 ? 'SFO' : 'JFK',
    Carrier: 'AA',
    DepDelay: i - 7.5,
    Distance: 2139,
    DistanceSource: 'table',
    FlightDate: date,
    FlightNum: i % 3 === 0 ? null : String(100 + i),
    DayOfWeek: 1,
    DayOfMonth: 15,
    DayOfYear: 15,
    Route: i % 2 ? 'ATL-SFO' : 'ATL-JFK',
    Prediction: prediction,
    PredictionLabel: labels[prediction]!,
    Probabilities: [0, 1, 2, 3].map((k) => (k === prediction ? 0.7 : 0.1)),
    ModelVersion: '3',
    RequestTimestamp: i % 5 === 0 ? null : '2024-01-15T10:00:00.000Z',
    ScoredAt: '2024-01-15T10:00:00.020Z',
  };
}

async function readParquet(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const { parquetReadObjects } = await import('hyparquet');
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return parquetReadObjects({ file });
}

describe('spool → Parquet', () => {
  it('writes every field of every result, and hyparquet reads the same results back', async () => {
    const results = Array.from({ length: 2_500 }, (_, i) => result(i));
    const bytes = await resultsToParquet(results);
    const rows = await readParquet(bytes);
    assert.equal(rows.length, 2_500);
    assert.deepEqual(rows.map((row) => resultFromParquetRow(row, '2024-01-15')), results);
    assert.equal(rows[0]!.FlightDate, undefined, 'the date is the partition folder, not a column');
    assert.equal(rows[3]!.FlightNum, null);
    assert.equal(rows[5]!.RequestTimestamp, null);
    assert.equal(rows[1]!.Prob1, 0.7);
  });

  it('declares flat, typed columns: Probabilities as Prob0..Prob3 doubles', async () => {
    const { parquetMetadata } = await import('hyparquet');
    const bytes = await resultsToParquet([result(1)]);
    const schema = parquetMetadata(bytes.buffer.slice(0)).schema;
    const byName = new Map(schema.map((e) => [e.name, e]));
    assert.deepEqual(
      schema.slice(1).map((e) => e.name),
      ['UUID', 'Origin', 'Dest', 'Carrier', 'DepDelay', 'Distance', 'DistanceSource', 'FlightNum', 'DayOfWeek', 'DayOfMonth', 'DayOfYear',
        'Route', 'Prediction', 'PredictionLabel', 'Prob0', 'Prob1', 'Prob2', 'Prob3', 'ModelVersion', 'RequestTimestamp', 'ScoredAt'],
    );
    assert.equal(byName.get('Prob2')?.type, 'DOUBLE');
    assert.equal(byName.get('DayOfYear')?.type, 'INT32');
    assert.equal(byName.get('UUID')?.converted_type, 'UTF8');
    assert.equal(byName.get('UUID')?.repetition_type, 'REQUIRED');
    assert.equal(byName.get('FlightNum')?.repetition_type, 'OPTIONAL');
  });

  it('refuses an empty file, and results of two dates in one file', async () => {
    await assert.rejects(resultsToParquet([]), /at least one row/);
    await assert.rejects(resultsToParquet([result(1), result(2, '2024-01-16')]), /FlightDate 2024-01-15 and 2024-01-16 in one file/);
  });
});

describe('resultProblem', () => {
  it('accepts a well-formed result', () => {
    assert.equal(resultProblem(result(0)), undefined);
  });

  it('names each field that does not fit', () => {
    const bad = { ...result(0), DepDelay: Number.NaN, FlightDate: '15/01/2024', Probabilities: [1], Carrier: undefined, DayOfWeek: 1.5 };
    const problem = resultProblem(bad as unknown as PredictionResult) ?? '';
    assert.match(problem, /DepDelay: expected a finite number, got NaN/);
    assert.match(problem, /FlightDate: expected YYYY-MM-DD/);
    assert.match(problem, /Probabilities: expected 4 finite numbers/);
    assert.match(problem, /Carrier: missing/);
    assert.match(problem, /DayOfWeek: expected a 32-bit integer/);
  });
});

describe('spool names', () => {
  it('round-trip through parseSpoolName', () => {
    const part = newPartName(new Date('2024-01-15T10:30:00.123Z'));
    assert.match(part, /^part-20240115T103000123Z-[0-9a-f]{8}$/);
    assert.deepEqual(parseSpoolName(activeSpoolName('2024-01-15')), { date: '2024-01-15', kind: 'active' });
    assert.deepEqual(parseSpoolName(sealedSpoolName('2024-01-15', part)), { date: '2024-01-15', kind: 'sealed', part });
    assert.equal(parseSpoolName('spool.lock'), undefined);
    assert.equal(parseSpoolName('../x.active.jsonl'), undefined);
  });
});

describe('spool files', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parquet-spool-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends whole batches and reads them back', async () => {
    const path = join(dir, 'a.jsonl');
    const file = await AppendOnlyFile.open(path);
    await file.append(toJsonLines([result(1), result(2)]));
    await file.append(toJsonLines([result(3)]));
    assert.equal(file.bytes, (await readFile(path)).byteLength);
    await file.close();
    const back = await readSpool(path);
    assert.deepEqual(back, { results: [result(1), result(2), result(3)], droppedTail: false });
  });

  it('drops an unfinished last line (a write cut short by a crash)', async () => {
    const path = join(dir, 'b.jsonl');
    await writeFile(path, toJsonLines([result(1)]) + JSON.stringify(result(2)).slice(0, 40));
    assert.deepEqual(await readSpool(path), { results: [result(1)], droppedTail: true });
  });

  it('refuses a damaged line in the middle, naming it', async () => {
    const path = join(dir, 'c.jsonl');
    await writeFile(path, `${toJsonLines([result(1)])}{oops\n${toJsonLines([result(2)])}`);
    await assert.rejects(readSpool(path), /c\.jsonl:2 is not a JSON line.*Move it out of the spool folder/);
  });
});
