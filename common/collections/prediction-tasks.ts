import type { Db } from 'mongodb';
import type { PredictionTask } from '../../data/daily-tasks';
import { insertNew } from '../clients/mongo';
import { mongoNames } from '../names';

/**
 * Stores tasks in MongoDB `prediction_tasks` with _id = TaskId: storing the same day twice keeps one
 * copy of each task. Returns how many were new.
 */
export async function storeDailyTasks(db: Db, tasks: readonly PredictionTask[], collection: string = mongoNames.predictionTasks): Promise<{ inserted: number; existing: number }> {
  const docs = tasks.map((t) => ({ _id: t.TaskId, ...t }));
  const inserted = await insertNew(db.collection<(typeof docs)[number]>(collection), docs, 5000);
  return { inserted, existing: tasks.length - inserted };
}
