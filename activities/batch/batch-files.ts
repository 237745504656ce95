/**
 * The HDFS layout of the daily batch: one folder per date under BATCH_HDFS_DIR, as the seed's
 * `prediction_tasks_daily.json/<date>` and `prediction_results_daily.json/<date>`, side by side:
 *
 *   <BATCH_HDFS_DIR>/2013-01-01/tasks.jsonl      the day's tasks, one JSON object a line (PredictionTask)
 *                              results.jsonl    one BatchPredictionResult a line
 *                              results.parquet  the same results, every column (FlightDate included), Prob0..Prob3
 *                              rejects.jsonl    tasks that could not be scored: {line, task, reason, field}
 *                              _SUCCESS         written last: the counts, as JSON; absent while a run rewrites the folder
 *
 * and the JSON-lines reading they all share.
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

/**
 * The lines of a JSON-lines buffer with their 1-based numbers, blank lines skipped. Works on the bytes
 * (a day's results can pass V8's limit on one string's length).
 */
export function* jsonLines(buffer: Buffer): Generator<{ line: number; text: string }> {
  let start = 0;
  let line = 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(10, start);
    if (end === -1) end = buffer.length;
    line++;
    const text = buffer.toString('utf8', start, end).replace(/\r$/, '');
    if (text.trim() !== '') yield { line, text };
    start = end + 1;
  }
}

/** Appends JSON lines to a list of byte chunks (each at most about `chunkBytes`), for one upload. */
export class JsonLinesWriter {
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  count = 0;

  constructor(private readonly chunkChars = 16 * 1024 * 1024) {}

  push(record: unknown): void {
    this.pushLine(JSON.stringify(record));
  }

  /** A line that is JSON already (without its newline). */
  pushLine(text: string): void {
    const line = `${text}\n`;
    this.pending.push(line);
    this.pendingChars += line.length;
    this.count++;
    if (this.pendingChars >= this.chunkChars) this.flush();
  }

  /** Everything pushed so far, as bytes. */
  toBuffer(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Buffer.from(this.pending.join(''), 'utf8'));
    this.pending = [];
    this.pendingChars = 0;
  }
}
