/**
 * Where the daily batch keeps what it makes: the date's manifest in MongoDB `prediction_batches`, and
 * the HDFS layout: one folder per date under BATCH_HDFS_DIR, as the seed's
 * `prediction_tasks_daily.json/<date>` and `prediction_results_daily.json/<date>`, side by side:
 *
 *   <BATCH_HDFS_DIR>/2013-01-01/tasks.jsonl      the day's tasks, one JSON object a line (PredictionTask)
 *                              results.jsonl    one BatchPredictionResult a line
 *                              results.parquet  the same results, every column (FlightDate included), Prob0..Prob3
 *                              rejects.jsonl    tasks that could not be scored: {line, task, reason, field}
 *                              _SUCCESS         written last: the counts, as JSON; absent while a run rewrites the folder
 */
export const batchFileNames = {
  tasks: 'tasks.jsonl',
  results: 'results.jsonl',
  parquet: 'results.parquet',
  rejects: 'rejects.jsonl',
  success: '_SUCCESS',
} as const;

export type BatchFile = keyof typeof batchFileNames;

export const batchDayDir = (root: string, date: string): string => `${root.replace(/\/+$/, '')}/${date}`;
export const batchFilePath = (root: string, date: string, file: BatchFile): string => `${batchDayDir(root, date)}/${batchFileNames[file]}`;

/** The `prediction_batches` document of a date (_id = the date): where its batch stands and what it made. */
export interface BatchManifest {
  _id: string;
  status: 'tasks-staged' | 'scored' | 'loading' | 'loaded';
  workflowId: string;
  runId: string;
  /** Set before the first result of the date goes into prediction_results, never unset: a later run must clear the date first. */
  resultsInMongo?: boolean;
  tasks?: number;
  scored?: number;
  rejected?: number;
  loaded?: number;
  modelVersion?: string;
  /** Results per class label. */
  classCounts?: Record<string, number>;
  hdfs: { dir: string; tasks?: string; results?: string; parquet?: string; rejects?: string };
  updatedAt: string;
  loadedAt?: string;
}
