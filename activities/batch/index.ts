/**
 * The daily batch prediction's activities (the seed's Airflow DAG agile_data_science_batch_predictions_daily):
 * stage the day's tasks in chunks → prepare the date (its model; its earlier results cleared) → score
 * each chunk (any worker; its parts on HDFS and its results in MongoDB) → finish (manifest, _SUCCESS).
 * They hand each other files in the date's HDFS folder (common/batch-storage.ts), never the rows
 * themselves: a day can hold a million tasks, far more than a workflow's history should carry.
 */
import type { Db } from 'mongodb';
import type { TaskSourceSpec } from '../../common/contracts/batch';
import { withActivityLog } from '../activity-log';
import { BatchMetrics } from './batch-metrics';
import { batchCollections, type BatchDeps, type BatchRunRef } from './deps';
import { finishDate, type DateTotals } from './finish-date';
import { prepareDate } from './prepare-date';
import { scoreChunk, type ScoreChunkInput } from './score-chunk';
import { stageDailyTasks } from './stage-tasks';

export function createBatchActivities(deps: BatchDeps, metrics: BatchMetrics = BatchMetrics.unserved()) {
  return {
    stageDailyTasks: (input: BatchRunRef & { source: TaskSourceSpec }) => stageDailyTasks(withActivityLog(deps), input),
    prepareDate: (input: BatchRunRef & { modelVersion?: string }) => prepareDate(withActivityLog(deps), input),
    scoreChunk: (input: ScoreChunkInput) => metrics.chunk(() => scoreChunk(withActivityLog(deps), input)),
    finishDate: async (input: BatchRunRef & { totals: DateTotals }) => {
      await finishDate(withActivityLog(deps), input);
      metrics.dateFinished(input.totals.startedAt);
    },
  };
}

export type BatchActivities = ReturnType<typeof createBatchActivities>;

/**
 * The FlightDate indexes of prediction_tasks and prediction_results, on a real MongoDB. Not on
 * FerretDB: it does not use them for queries (it reads the collection) yet keeps them up to date on
 * every insert, which slows a day's load.
 */
export async function ensureBatchIndexes(db: Db, deps: Pick<BatchDeps, 'collections'> = {}): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  if ('ferretdbVersion' in info) return false;
  const names = batchCollections(deps);
  await db.collection(names.tasks).createIndex({ FlightDate: 1 }, { name: 'FlightDate' });
  await db.collection(names.results).createIndex({ FlightDate: 1 }, { name: 'FlightDate' });
  return true;
}

export type { BatchDeps, BatchRunRef, TaskSourceSpec };
export type { DateTotals } from './finish-date';
export type { PrepareDateResult } from './prepare-date';
export type { ScoreChunkInput, ScoreChunkResult } from './score-chunk';
export type { StageTasksResult } from './stage-tasks';
