import type { BatchPredictionResult } from '../../common/batch-result';
import { fieldColumn, probabilityParquetColumns, type ParquetColumn, type ParquetColumnType } from '../scoring/parquet-table';

const field = (name: Exclude<keyof BatchPredictionResult, 'Probabilities'>, type: ParquetColumnType, nullable = false) =>
  fieldColumn<BatchPredictionResult>(name, type, nullable);

/**
 * The columns of a date's results.parquet, in file order: every field of BatchPredictionResult,
 * FlightDate included (the file stands alone, it is not a partition of a dataset), Probabilities as
 * Prob0..Prob3.
 */
export const batchResultColumns: readonly ParquetColumn<BatchPredictionResult>[] = [
  field('TaskId', 'STRING'),
  field('FlightDate', 'STRING'),
  field('Origin', 'STRING'),
  field('Dest', 'STRING'),
  field('Carrier', 'STRING'),
  field('DepDelay', 'DOUBLE'),
  field('FlightNum', 'STRING', true),
  field('CRSDepTime', 'STRING', true),
  field('Distance', 'DOUBLE'),
  field('DistanceSource', 'STRING'),
  field('DayOfWeek', 'INT32'),
  field('DayOfMonth', 'INT32'),
  field('DayOfYear', 'INT32'),
  field('Route', 'STRING'),
  field('Prediction', 'INT32'),
  field('PredictionLabel', 'STRING'),
  ...probabilityParquetColumns<BatchPredictionResult>(),
  field('ModelVersion', 'STRING'),
  field('ScoredAt', 'STRING'),
];
