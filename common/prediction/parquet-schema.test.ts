import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleResult as result } from '../../test/support/prediction-results';
import { resultFromParquetRow, resultProblem, resultsToParquet } from './parquet-schema';
import type { PredictionResult } from './result';

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
        'Route', 'Prediction', 'PredictionLabel', 'Prob0', 'Prob1', 'Prob2', 'Prob3', 'LookedUpFeatures', 'MissingFeatures', 'ModelVersion', 'RequestTimestamp', 'ScoredAt'],
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
