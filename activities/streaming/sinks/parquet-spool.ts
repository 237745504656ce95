/**
 * The local half of the HDFS Parquet sink: the fsync'd JSON-lines spool files that make `accept`
 * durable (AppendOnlyFile, which the text file sink uses too), their names, and the conversion of one
 * spool file into one Parquet file.
 *
 * Spool folder layout (one folder per sink; see hdfs-parquet-sink.ts):
 *   2024-01-15.active.jsonl                                  being appended to, for FlightDate 2024-01-15
 *   2024-01-15.part-20240115T103000123Z-1a2b3c4d.sealed.jsonl  closed; names the Parquet file it becomes
 *
 * Parquet columns: every field of PredictionResult under its own name and type (strings as UTF8,
 * DepDelay and Distance as DOUBLE, calendar fields and Prediction as INT32, FlightNum and
 * RequestTimestamp nullable), with two exceptions:
 * - Probabilities becomes four DOUBLE columns Prob0..Prob3: flat columns read as plain float64 in
 *   hyparquet, pandas/pyarrow, Spark and DuckDB alike, where a list column would need unnesting.
 * - FlightDate is not in the file: it is the partition folder's name (FlightDate=YYYY-MM-DD), as in
 *   Spark's partitionBy. Readers of the folder get it back as a column (pandas.read_parquet(folder),
 *   spark.read.parquet, pyarrow.dataset with hive partitioning), and a copy inside the files would
 *   make them fail ("Field FlightDate has incompatible types" in pyarrow, a duplicate column in Spark).
 * Timestamps stay the ISO strings of the record.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { distanceSources, type PredictionResult } from '../../../common/prediction-result';
import {
  cellProblem,
  fieldColumn,
  probabilityColumns,
  probabilityParquetColumns,
  recordsToParquet,
  type ParquetColumn,
  type ParquetColumnType,
} from '../../scoring/parquet-table';

// --- columns -------------------------------------------------------------------------------------

export { probabilityColumns };

const field = (name: Exclude<keyof PredictionResult, 'Probabilities'>, type: ParquetColumnType, nullable = false) =>
  fieldColumn<PredictionResult>(name, type, nullable);

/** The Parquet columns, in file order (FlightDate is the partition: see above). */
export const resultColumns: readonly ParquetColumn<PredictionResult>[] = [
  field('UUID', 'STRING'),
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
  ...probabilityParquetColumns<PredictionResult>(),
  field('ModelVersion', 'STRING'),
  field('RequestTimestamp', 'STRING', true),
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
  for (const column of resultColumns) {
    if (column.name.startsWith('Prob')) continue;
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
 * One Parquet file (SNAPPY, one row group per 100,000 rows) holding `results` in resultColumns. They
 * must share one FlightDate: the file goes into that date's partition, which stands for the column.
 */
export async function resultsToParquet(results: readonly PredictionResult[]): Promise<Uint8Array> {
  if (results.length === 0) throw new Error('resultsToParquet: no results; a Parquet file needs at least one row');
  const date = results[0]!.FlightDate;
  const stranger = results.find((r) => r.FlightDate !== date);
  if (stranger) {
    throw new Error(`resultsToParquet: results of FlightDate ${date} and ${stranger.FlightDate} in one file; a file holds one date partition`);
  }
  return recordsToParquet(results, resultColumns, {
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
  for (const column of resultColumns) {
    if (!column.name.startsWith('Prob')) result[column.name] = row[column.name] ?? null;
  }
  result.FlightDate = flightDate;
  result.Probabilities = probabilityColumns.map((name) => row[name]);
  return result as unknown as PredictionResult;
}

// --- names ---------------------------------------------------------------------------------------

export type SpoolFileName = { date: string; kind: 'active' } | { date: string; kind: 'sealed'; part: string };

export const activeSpoolName = (date: string): string => `${date}.active.jsonl`;
export const sealedSpoolName = (date: string, part: string): string => `${date}.${part}.sealed.jsonl`;

const activePattern = /^(\d{4}-\d{2}-\d{2})\.active\.jsonl$/;
const sealedPattern = /^(\d{4}-\d{2}-\d{2})\.(part-\d{8}T\d{9}Z-[0-9a-f]{8})\.sealed\.jsonl$/;

/** What a file in the spool folder is, or undefined for anything else (the lock file, strangers). */
export function parseSpoolName(name: string): SpoolFileName | undefined {
  const active = activePattern.exec(name);
  if (active?.[1]) return { date: active[1], kind: 'active' };
  const sealed = sealedPattern.exec(name);
  if (sealed?.[1] && sealed[2]) return { date: sealed[1], kind: 'sealed', part: sealed[2] };
  return undefined;
}

/** "part-<UTC time, e.g. 20240115T103000123Z>-<8 random hex digits>": the Parquet file's name without ".parquet". */
export function newPartName(at: Date): string {
  const time = at.toISOString().replace(/[-:.]/g, '');
  return `part-${time}-${randomBytes(4).toString('hex')}`;
}

// --- files ---------------------------------------------------------------------------------------

/**
 * A file opened for appending, where each append is one write followed by fdatasync: when append()
 * resolves, the bytes survive a crash. When a write fails halfway, the file is cut back to its last
 * complete append, so no half line stays behind; if even that fails, the next append retries the cut
 * before writing (and fails while it cannot).
 */
export class AppendOnlyFile {
  private damaged = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private size: number,
  ) {}

  static async open(path: string): Promise<AppendOnlyFile> {
    const handle = await open(path, 'a');
    try {
      return new AppendOnlyFile(path, handle, (await handle.stat()).size);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Bytes in the file after the last complete append. */
  get bytes(): number {
    return this.size;
  }

  async append(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.damaged) {
      await this.handle.truncate(this.size);
      this.damaged = false;
    }
    try {
      for (let written = 0; written < bytes.byteLength; ) {
        written += (await this.handle.write(bytes, written, bytes.byteLength - written)).bytesWritten;
      }
      await this.handle.datasync();
      this.size += bytes.byteLength;
    } catch (err) {
      await this.handle.truncate(this.size).catch(() => {
        this.damaged = true;
      });
      throw err;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Makes a folder's entries (new, renamed or deleted files) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The JSON lines of `results`, each ending in a newline. */
export const toJsonLines = (results: readonly PredictionResult[]): string =>
  results.map((r) => `${JSON.stringify(r)}\n`).join('');

/**
 * The results in a spool file. A last line without its newline is the trace of a write that never
 * completed (a crash mid-append): its batch was never acknowledged, so it is dropped and reported in
 * `droppedTail`. Any other line that is not JSON means the file was damaged outside the sink: that
 * throws, naming the line.
 */
export async function readSpool(path: string): Promise<{ results: PredictionResult[]; droppedTail: boolean }> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const tail = lines.pop();
  const results: PredictionResult[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    try {
      results.push(JSON.parse(line) as PredictionResult);
    } catch (err) {
      throw new Error(
        `${path}:${i + 1} is not a JSON line (${(err as Error).message}): the spool file was damaged outside the sink. ` +
          'Move it out of the spool folder so the sink can go on, and load its good lines by hand if they matter.',
      );
    }
  });
  return { results, droppedTail: tail !== undefined && tail !== '' };
}
