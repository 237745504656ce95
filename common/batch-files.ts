/**
 * The HDFS layout of the daily batch: one folder per date under BATCH_HDFS_DIR, as the seed's
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
