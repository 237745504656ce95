/**
 * The one Parquet schema of prediction results: the columns every result has, in one order, framed by
 * each kind's own. Strings are UTF8, DepDelay and Distance DOUBLE, calendar fields and Prediction INT32;
 * nullable fields are OPTIONAL. Probabilities become four DOUBLE columns Prob0..Prob3: flat columns read
 * as plain float64 in hyparquet, pandas/pyarrow, Spark and DuckDB alike, where a list column would need
 * unnesting. Timestamps stay the ISO strings of the record.
 *
 * - Realtime results (the stream's HDFS sink, the archive): UUID first, RequestTimestamp before
 *   ScoredAt, and no FlightDate: it is the partition folder's name (FlightDate=YYYY-MM-DD), as in
 *   Spark's partitionBy. Readers of the folder get it back as a column (pandas.read_parquet(folder),
 *   spark.read.parquet, pyarrow.dataset with hive partitioning), and a copy inside the files would make
 *   them fail ("Field FlightDate has incompatible types" in pyarrow, a duplicate column in Spark).
 * - Batch results (a date's parquet/ parts): TaskId, FlightDate and CRSDepTime first — the file
 *   stands alone, it is not a partition of a dataset.
 */
import {
  cellProblem,
  fieldColumn,
  recordsToParquet,
  type ParquetColumn,
  type ParquetColumnType,
} from '../parquet-table';
import { distanceSources } from './distance';
import type { BatchPredictionResult, PredictionResult } from './result';

/** The fields both kinds of result have. */
type CommonResult = Omit<PredictionResult, 'UUID' | 'RequestTimestamp'>;

const field = <T>(name: Exclude<keyof T, 'Probabilities' | 'FeatureLookups'> & string, type: ParquetColumnType, nullable = false): ParquetColumn<T> =>
  fieldColumn<T>(name, type, nullable);

/** The classes of the seed's bucketizer: one probability column each. */
export const probabilityColumns = ['Prob0', 'Prob1', 'Prob2', 'Prob3'] as const;

const probabilities: ParquetColumn<CommonResult>[] = probabilityColumns.map((name, i) => ({
  name,
  type: 'DOUBLE',
  nullable: false,
  get: (r) => r.Probabilities[i] ?? null,
}));

/**
 * FeatureLookups as two flat columns: the feature names, comma-separated ("" when none). A result stored
 * before FeatureLookups existed (an archived one) has neither: "". resultFromParquetRow reads them back.
 */
const featureLookups: ParquetColumn<CommonResult>[] = [
  { name: 'LookedUpFeatures', type: 'STRING', nullable: false, get: (r) => (r.FeatureLookups as CommonResult['FeatureLookups'] | undefined)?.lookedUp.join(',') ?? '' },
  { name: 'MissingFeatures', type: 'STRING', nullable: false, get: (r) => (r.FeatureLookups as CommonResult['FeatureLookups'] | undefined)?.missing.join(',') ?? '' },
];

/** The flight, how it was scored and the prediction: the middle of every result file, in this order. */
const predictionColumns: readonly ParquetColumn<CommonResult>[] = [
  field('Origin', 'STRING'),
  field('Dest', 'STRING'),
  field('Carrier', 'STRING'),
  field('DepDelay', 'DOUBLE'),
  field('Distance', 'DOUBLE'),
  field('DistanceSource', 'STRING'),
  field('FlightNum', 'STRING', true),
  field('DayOfWeek', 'INT32'),
  field('DayOfMonth', 'INT32'),
  field('DayOfYear', 'INT32'),
  field('Route', 'STRING'),
  field('Prediction', 'INT32'),
  field('PredictionLabel', 'STRING'),
  ...probabilities,
  ...featureLookups,
  field('ModelVersion', 'STRING'),
];

/** A realtime result file's columns, in file order (FlightDate is the partition: see above). */
export const realtimeResultColumns: readonly ParquetColumn<PredictionResult>[] = [
  field('UUID', 'STRING'),
  ...predictionColumns,
  field('RequestTimestamp', 'STRING', true),
  field('ScoredAt', 'STRING'),
];

/** A date's Parquet parts' columns, in file order: every field of BatchPredictionResult. */
export const batchResultColumns: readonly ParquetColumn<BatchPredictionResult>[] = [
  field('TaskId', 'STRING'),
  field('FlightDate', 'STRING'),
  field('CRSDepTime', 'STRING', true),
  ...predictionColumns,
  field('ScoredAt', 'STRING'),
];

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What makes `result` unfit for the Parquet schema and the date partition, or undefined when it fits.
 * Checked in `accept`, so a bad result is refused before it reaches the spool (where it would block
 * the conversion of every result spooled with it).
 */
export function resultProblem(result: PredictionResult): string | undefined {
  const problems: string[] = [];
  for (const column of realtimeResultColumns) {
    if (column.name.startsWith('Prob') || column.name.endsWith('Features')) continue;
    const problem = cellProblem(column, (result as unknown as Record<string, unknown>)[column.name]);
    if (problem) problems.push(`${column.name}: ${problem}`);
  }
  const probs = result.Probabilities as unknown;
  if (!Array.isArray(probs) || probs.length !== probabilityColumns.length || !probs.every((p) => typeof p === 'number' && Number.isFinite(p))) {
    problems.push(`Probabilities: expected ${probabilityColumns.length} finite numbers, got ${JSON.stringify(probs)}`);
  }
  if (typeof result.FlightDate !== 'string' || !datePattern.test(result.FlightDate)) {
    problems.push(`FlightDate: expected YYYY-MM-DD, got ${JSON.stringify(result.FlightDate)}`);
  }
  if (typeof result.DistanceSource === 'string' && !(distanceSources as readonly string[]).includes(result.DistanceSource)) {
    problems.push(`DistanceSource: expected one of ${distanceSources.join(', ')}, got ${JSON.stringify(result.DistanceSource)}`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/**
 * One Parquet file (SNAPPY, one row group per 100,000 rows) holding `results` in realtimeResultColumns. They
 * must share one FlightDate: the file goes into that date's partition, which stands for the column.
 */
export async function resultsToParquet(results: readonly PredictionResult[]): Promise<Uint8Array> {
  if (results.length === 0) throw new Error('resultsToParquet: no results; a Parquet file needs at least one row');
  const date = results[0]!.FlightDate;
  const stranger = results.find((r) => r.FlightDate !== date);
  if (stranger) {
    throw new Error(`resultsToParquet: results of FlightDate ${date} and ${stranger.FlightDate} in one file; a file holds one date partition`);
  }
  return recordsToParquet(results, realtimeResultColumns, {
    createdBy: 'flight-delay-temporal hdfs-parquet-sink',
    metadata: { 'flight-delay.record': 'PredictionResult; Probabilities as Prob0..Prob3' },
  });
}

/**
 * A row as hyparquet (parquetReadObjects) returns it, back into a PredictionResult; `flightDate` is
 * the date of the file's partition folder.
 */
export function resultFromParquetRow(row: Record<string, unknown>, flightDate: string): PredictionResult {
  const result: Record<string, unknown> = {};
  for (const column of realtimeResultColumns) {
    if (!column.name.startsWith('Prob') && !column.name.endsWith('Features')) result[column.name] = row[column.name] ?? null;
  }
  result.FlightDate = flightDate;
  const names = (v: unknown): string[] => (typeof v === 'string' && v !== '' ? v.split(',') : []);
  result.FeatureLookups = { lookedUp: names(row.LookedUpFeatures), missing: names(row.MissingFeatures) };
  result.Probabilities = probabilityColumns.map((name) => row[name]);
  return result as unknown as PredictionResult;
}
