/**
 * Where the daily batch keeps what it makes: the date's manifest in MongoDB `prediction_batches`, and
 * the HDFS layout: one folder per date under BATCH_HDFS_DIR (as the seed's
 * `prediction_tasks_daily.json/<date>` and `prediction_results_daily.json/<date>`, side by side), each
 * kind of file a folder of parts, one part per chunk of BATCH_CHUNK_SIZE tasks (as Spark writes them:
 * a reader takes the folder):
 *
 *   <BATCH_HDFS_DIR>/2013-01-01/tasks/part-00000.jsonl     the day's tasks, one JSON object a line (PredictionTask)
 *                              results/part-00000.jsonl   one BatchPredictionResult a line
 *                              parquet/part-00000.parquet the same results, every column (FlightDate included), Prob0..Prob3
 *                              rejects/part-00000.jsonl   tasks that could not be scored: {line, task, reason, field}
 *                              _SUCCESS                   written last: the counts, as JSON; absent while a run rewrites the folder
 */
export const batchPartKinds = {
  tasks: { folder: 'tasks', extension: 'jsonl' },
  results: { folder: 'results', extension: 'jsonl' },
  parquet: { folder: 'parquet', extension: 'parquet' },
  rejects: { folder: 'rejects', extension: 'jsonl' },
} as const;

export type BatchPartKind = keyof typeof batchPartKinds;

export const batchDayDir = (root: string, date: string): string => `${root.replace(/\/+$/, '')}/${date}`;
/** The folder of one kind of part files of a date. */
export const batchPartsDir = (root: string, date: string, kind: BatchPartKind): string => `${batchDayDir(root, date)}/${batchPartKinds[kind].folder}`;
/** `part-00003.jsonl`: the file of chunk `index`. */
export const batchPartName = (kind: BatchPartKind, index: number): string => `part-${String(index).padStart(5, '0')}.${batchPartKinds[kind].extension}`;
export const batchPartPath = (root: string, date: string, kind: BatchPartKind, index: number): string => `${batchPartsDir(root, date, kind)}/${batchPartName(kind, index)}`;
/** The chunk index of a part file's name, or undefined for another file (a temporary one, say). */
export const batchPartIndex = (name: string): number | undefined => {
  const m = /^part-(\d{5,})\.(jsonl|parquet)$/.exec(name);
  return m ? Number(m[1]) : undefined;
};
export const batchSuccessPath = (root: string, date: string): string => `${batchDayDir(root, date)}/_SUCCESS`;

/** The `prediction_batches` document of a date (_id = the date): where its batch stands and what it made. */
export interface BatchManifest {
  _id: string;
  status: 'tasks-staged' | 'scoring' | 'loaded';
  workflowId: string;
  runId: string;
  /** Set before the first result of the date goes into prediction_results, never unset: a later run must clear the date first. */
  resultsInMongo?: boolean;
  tasks?: number;
  scored?: number;
  rejected?: number;
  loaded?: number;
  /** Chunks of BATCH_CHUNK_SIZE tasks: one part file of each kind per chunk. */
  chunks?: number;
  modelVersion?: string;
  /** Results per class label. */
  classCounts?: Record<string, number>;
  /** The date's folder, and its folders of part files. */
  hdfs: { dir: string; tasks?: string; results?: string; parquet?: string; rejects?: string };
  updatedAt: string;
  loadedAt?: string;
}
