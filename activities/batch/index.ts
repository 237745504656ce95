/**
 * The daily batch prediction's activities (the seed's Airflow DAG agile_data_science_batch_predictions_daily):
 * stage the day's tasks → score them → load the results. They hand each other files in the date's HDFS
 * folder (batch-files.ts), never the rows themselves: a day can hold a million tasks, far more than a
 * workflow's history should carry.
 */
import type { Db } from 'mongodb';
import { loadDailyResults, type LoadResultsInput } from './load-results';
import { scoreDailyTasks, type ScoreTasksInput } from './score-tasks';
import type { TaskSourceSpec } from '../../common/contracts/batch';
import { stageDailyTasks } from './stage-tasks';
import { batchCollections, type BatchDeps, type BatchRunRef } from './deps';

export function createBatchActivities(deps: BatchDeps) {
  return {
    stageDailyTasks: (input: BatchRunRef & { source: TaskSourceSpec }) => stageDailyTasks(deps, input),
    scoreDailyTasks: (input: ScoreTasksInput) => scoreDailyTasks(deps, input),
    loadDailyResults: (input: LoadResultsInput) => loadDailyResults(deps, input),
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
export type { ScoreTasksResult } from './score-tasks';
export type { StageTasksResult } from './stage-tasks';
export type { LoadResultsResult } from './load-results';
