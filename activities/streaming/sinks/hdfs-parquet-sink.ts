import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { WebHdfsClient } from '../../../common/clients/webhdfs';
import { createLogger, type Logger } from '../../../common/logger';
import type { PredictionResult } from '../result';
import {
  activeSpoolName,
  AppendOnlyFile,
  fsyncDir,
  newPartName,
  parseSpoolName,
  readSpool,
  resultProblem,
  resultsToParquet,
  sealedSpoolName,
  toJsonLines,
} from './parquet-spool';
import type { ResultSink } from './sink';

/** What the sink needs of HDFS (WebHdfsClient has it; tests pass an in-memory one). */
export type ParquetHdfs = Pick<WebHdfsClient, 'create' | 'rename' | 'exists'>;

export const defaultPredictionsDir = '/flight-delay/predictions';

export interface HdfsParquetSinkOptions {
  hdfs: ParquetHdfs;
  /** Local folder of the spool files; one sink per folder (a lock file keeps a second one out). */
  spoolDir: string;
  /** HDFS folder of the partitions FlightDate=YYYY-MM-DD/; default /flight-delay/predictions. */
  baseDir?: string;
  /** Roll a date's spool file into Parquet once it holds this many results; default 100,000. */
  maxRows?: number;
  /** ... or this many bytes of JSON lines (Parquet comes out about 10× smaller); default 64 MiB. */
  maxBytes?: number;
  /** ... or once its first result is this old (checked on accept, flush and every checkIntervalMs); default 10 minutes. */
  maxAgeMs?: number;
  /** How often a timer looks for spool files past maxAgeMs while no accept comes; 0 turns the timer off. Default min(maxAgeMs, 60 s). */
  checkIntervalMs?: number;
  /** accept() refuses new results while this many rolled files wait for HDFS; default 100. */
  maxPendingFiles?: number;
  logger?: Logger;
  /** The clock, in ms since the epoch; tests move it. */
  now?: () => number;
}

export interface HdfsParquetSinkStats {
  /** Results in spool files not rolled yet. */
  spooledRows: number;
  /** Rolled spool files waiting for their upload (after a failure, until it succeeds). */
  pendingFiles: number;
  uploadedFiles: number;
  uploadedRows: number;
  uploadedBytes: number;
  /** The last upload failure, kept until an upload succeeds. */
  lastError: string | undefined;
}

interface ActiveSpool {
  date: string;
  file: AppendOnlyFile;
  rows: number;
  openedAt: number;
}

interface SealedSpool {
  date: string;
  part: string;
}

/**
 * The seed's Spark job wrote its predictions to HDFS as Parquet; this sink does the same without
 * writing a tiny file per micro-batch:
 *
 * - `accept` appends the batch as JSON lines to a local spool file per FlightDate, with one write and
 *   an fsync each, and resolves only then: the batch is durable, and the consumer may commit its offsets.
 * - A spool file is *rolled* when it reaches `maxRows` or `maxBytes` (checked after each batch, which
 *   is never split: a file may pass the limit by less than one batch), when its first result is older
 *   than `maxAgeMs`, and on flush/close: renamed to a sealed name that fixes its Parquet file's name,
 *   converted to one Parquet file, uploaded to HDFS under a hidden temporary name
 *   (`.part-….parquet.tmp`, which Spark, pyarrow and Hive skip), renamed to
 *   `<baseDir>/FlightDate=YYYY-MM-DD/part-<UTC time>-<random>.parquet`, and deleted locally.
 *   Uploads run in the background of accept; flush() waits for them and fails if one failed.
 * - At start, spool files left by a crash are rolled first. A sealed file whose Parquet file already
 *   exists (the crash came between the rename on HDFS and the local delete) is only deleted, so a
 *   roll never publishes the same spool file twice.
 * - While HDFS is down, rolled files wait in the spool folder and are retried on every roll;
 *   after `maxPendingFiles` of them, accept() refuses new results, so the consumer stops committing.
 *
 * Duplicates: the sink is at-least-once. A batch that is replayed (the process died after accept and
 * before the offsets were committed, or accept failed halfway through a batch spanning several dates)
 * is spooled again and then appears twice in Parquet. MongoDB, keyed by UUID, is the exactly-once
 * store; readers of the Parquet files who need one row per request deduplicate on UUID.
 */
export class HdfsParquetSink implements ResultSink {
  readonly name = 'hdfs-parquet';
  readonly spoolDir: string;
  readonly baseDir: string;
  private readonly hdfs: ParquetHdfs;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly maxPendingFiles: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly active = new Map<string, ActiveSpool>();
  /** Sealed spool files by file name, in the order they were sealed. */
  private readonly sealed = new Map<string, SealedSpool>();
  private queue: Promise<unknown> = Promise.resolve();
  private rolling: Promise<void> | undefined;
  private rollAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly totals = { uploadedFiles: 0, uploadedRows: 0, uploadedBytes: 0 };
  private lastError: Error | undefined;

  /** Use hdfsParquetSink(), which takes the spool folder's lock and recovers leftover spool files. */
  constructor(
    options: HdfsParquetSinkOptions,
    private readonly releaseLock: () => Promise<void>,
  ) {
    this.hdfs = options.hdfs;
    this.spoolDir = resolve(options.spoolDir);
    this.baseDir = (options.baseDir ?? defaultPredictionsDir).replace(/\/+$/, '');
    this.maxRows = positive('maxRows', options.maxRows ?? 100_000);
    this.maxBytes = positive('maxBytes', options.maxBytes ?? 64 * 1024 * 1024);
    this.maxAgeMs = positive('maxAgeMs', options.maxAgeMs ?? 600_000);
    this.maxPendingFiles = positive('maxPendingFiles', options.maxPendingFiles ?? 100);
    this.log = options.logger ?? createLogger('hdfs-parquet-sink');
    this.now = options.now ?? Date.now;
    if (!this.baseDir.startsWith('/')) {
      throw new Error(`HDFS Parquet sink: baseDir must be an absolute HDFS path such as ${defaultPredictionsDir}, got ${JSON.stringify(options.baseDir)}`);
    }
    const checkIntervalMs = options.checkIntervalMs ?? Math.min(this.maxAgeMs, 60_000);
    if (checkIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.exclusive(() => (this.closed ? Promise.resolve() : this.sealDue())).catch((err: unknown) =>
          this.log.warn('could not roll aged spool files', { error: (err as Error).message }),
        );
      }, checkIntervalMs);
      this.timer.unref();
    }
  }

  async accept(results: readonly PredictionResult[]): Promise<void> {
    return this.exclusive(async () => {
      this.assertOpen('accept');
      const byDate = new Map<string, PredictionResult[]>();
      results.forEach((result, i) => {
        const problem = resultProblem(result);
        if (problem) {
          throw new Error(
            `HDFS Parquet sink: result ${i} of the batch (UUID ${String(result.UUID)}) does not fit the Parquet schema: ${problem}. ` +
              'The scoring step builds the results; fix it there.',
          );
        }
        const group = byDate.get(result.FlightDate);
        if (group) group.push(result);
        else byDate.set(result.FlightDate, [result]);
      });
      if (byDate.size > 0 && this.sealed.size >= this.maxPendingFiles) {
        void this.kick();
        throw new Error(
          `HDFS Parquet sink: ${this.sealed.size} Parquet files wait for their upload to ${this.baseDir} ` +
            `(last error: ${this.lastError?.message ?? 'none yet'}); no more results are taken until HDFS accepts them. ` +
            "Check HDFS ('npm run stack -- status hdfs', or WEBHDFS_URL); the files are uploaded from the spool folder once it answers.",
        );
      }
      for (const [date, group] of byDate) {
        const spool = await this.activeSpool(date);
        try {
          await spool.file.append(toJsonLines(group));
        } catch (err) {
          throw new Error(
            `HDFS Parquet sink: cannot write to the spool file ${spool.file.path} (${(err as Error).message}). ` +
              `Check the free space and permissions of ${this.spoolDir}.`,
            { cause: err },
          );
        }
        spool.rows += group.length;
      }
      await this.sealDue();
    });
  }

  /** Rolls every spool file into Parquet on HDFS and waits for the uploads; fails when one could not be uploaded. */
  async flush(): Promise<void> {
    return this.exclusive(async () => {
      this.assertOpen('flush');
      await this.rollEverything();
    });
  }

  /**
   * Flushes, then releases the spool folder. When an upload failed, the error says so after the
   * release: the spool files stay and are uploaded at the next start.
   */
  async close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      clearInterval(this.timer);
      try {
        await this.rollEverything();
      } finally {
        this.closed = true;
        await Promise.allSettled([...this.active.values()].map((s) => s.file.close()));
        this.active.clear();
        await this.releaseLock();
      }
    });
  }

  /** Resolves when the background uploads started so far are done (successful or not). */
  async settled(): Promise<void> {
    await this.rolling;
  }

  stats(): HdfsParquetSinkStats {
    return {
      spooledRows: [...this.active.values()].reduce((sum, s) => sum + s.rows, 0),
      pendingFiles: this.sealed.size,
      ...this.totals,
      lastError: this.lastError?.message,
    };
  }

  /** At start: seals leftover active spool files, picks up sealed ones, and rolls them all (failures are logged and retried later). */
  async recover(): Promise<void> {
    const names = (await readdir(this.spoolDir)).sort();
    let leftovers = 0;
    for (const fileName of names) {
      const parsed = parseSpoolName(fileName);
      if (!parsed) continue;
      leftovers++;
      if (parsed.kind === 'sealed') this.sealed.set(fileName, { date: parsed.date, part: parsed.part });
      else await this.seal(parsed.date, join(this.spoolDir, fileName));
    }
    if (leftovers === 0) return;
    this.log.info('rolling spool files left by an earlier run', { spoolDir: this.spoolDir, files: leftovers });
    await this.kick();
  }

  // --- internals --------------------------------------------------------------------------------

  /** Runs accept/flush/close/timer work one at a time, in call order. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(op: string): void {
    if (this.closed) throw new Error(`HDFS Parquet sink: ${op}() after close(); create a new sink with hdfsParquetSink()`);
  }

  private async activeSpool(date: string): Promise<ActiveSpool> {
    let spool = this.active.get(date);
    if (!spool) {
      const file = await AppendOnlyFile.open(join(this.spoolDir, activeSpoolName(date)));
      await fsyncDir(this.spoolDir);
      spool = { date, file, rows: 0, openedAt: this.now() };
      this.active.set(date, spool);
    }
    return spool;
  }

  /** Seals the spool files that reached a limit and starts their upload. */
  private async sealDue(): Promise<void> {
    const now = this.now();
    for (const spool of [...this.active.values()]) {
      if (spool.rows >= this.maxRows || spool.file.bytes >= this.maxBytes || now - spool.openedAt >= this.maxAgeMs) {
        await this.sealActive(spool);
      }
    }
    if (this.sealed.size > 0) void this.kick();
  }

  private async rollEverything(): Promise<void> {
    for (const spool of [...this.active.values()]) await this.sealActive(spool);
    await this.kick();
    if (this.sealed.size > 0) {
      throw new Error(
        `HDFS Parquet sink: ${this.sealed.size} spool file(s) could not be uploaded to ${this.baseDir}: ${this.lastError?.message ?? 'unknown error'}. ` +
          `They stay in ${this.spoolDir} and are retried on the next roll or flush, and at the next start.`,
        { cause: this.lastError },
      );
    }
  }

  private async sealActive(spool: ActiveSpool): Promise<void> {
    this.active.delete(spool.date);
    await spool.file.close();
    await this.seal(spool.date, spool.file.path);
  }

  /** Renames a spool file to its sealed name, which fixes the name of the Parquet file it becomes. */
  private async seal(date: string, path: string): Promise<void> {
    const part = newPartName(new Date(this.now()));
    const fileName = sealedSpoolName(date, part);
    await rename(path, join(this.spoolDir, fileName));
    // Durable before any upload: were the rename lost in a crash, the file would be sealed again
    // under another part name and could be published twice.
    await fsyncDir(this.spoolDir);
    this.sealed.set(fileName, { date, part });
  }

  /** Uploads the sealed files in the background, one at a time; the promise resolves when none is left to try. */
  private kick(): Promise<void> {
    this.rollAgain = true;
    this.rolling ??= (async () => {
      while (this.rollAgain) {
        this.rollAgain = false;
        for (const [fileName, spool] of [...this.sealed]) {
          try {
            await this.upload(fileName, spool);
            this.sealed.delete(fileName);
            this.lastError = undefined;
          } catch (err) {
            this.lastError = err as Error;
            this.log.warn('upload of a spool file failed; it stays in the spool and is retried', {
              file: fileName,
              error: (err as Error).message,
            });
          }
        }
      }
    })().finally(() => {
      this.rolling = undefined;
    });
    return this.rolling;
  }

  private async upload(fileName: string, { date, part }: SealedSpool): Promise<void> {
    const path = join(this.spoolDir, fileName);
    const { results, droppedTail } = await readSpool(path);
    if (droppedTail) {
      this.log.warn('dropped the unfinished last line of a spool file (a write cut short by a crash; its batch was never acknowledged)', {
        file: fileName,
      });
    }
    const folder = `${this.baseDir}/FlightDate=${date}`;
    const target = `${folder}/${part}.parquet`;
    if (results.length > 0 && !(await this.hdfs.exists(target))) {
      const parquet = await resultsToParquet(results);
      const temporary = `${folder}/.${part}.parquet.tmp`;
      await this.hdfs.create(temporary, parquet, { overwrite: true });
      await this.hdfs.rename(temporary, target);
      this.totals.uploadedFiles++;
      this.totals.uploadedRows += results.length;
      this.totals.uploadedBytes += parquet.byteLength;
      this.log.info('rolled a spool file into Parquet', { path: target, rows: results.length, bytes: parquet.byteLength });
    }
    await unlink(path);
  }
}

/**
 * Opens the HDFS Parquet sink on `spoolDir` (created if missing): takes the folder's lock, then rolls
 * the spool files a crashed run left behind before it returns. See HdfsParquetSink.
 */
export async function hdfsParquetSink(options: HdfsParquetSinkOptions): Promise<HdfsParquetSink> {
  const spoolDir = resolve(options.spoolDir);
  await mkdir(spoolDir, { recursive: true }).catch((err: Error) => {
    throw new Error(
      `HDFS Parquet sink: cannot create the spool folder ${spoolDir} (${err.message}). Point spoolDir (STREAM_SPOOL_DIR) at a writable local folder.`,
      { cause: err },
    );
  });
  const release = await lockSpoolDir(spoolDir);
  let sink: HdfsParquetSink;
  try {
    sink = new HdfsParquetSink({ ...options, spoolDir }, release);
  } catch (err) {
    await release();
    throw err;
  }
  try {
    await sink.recover();
  } catch (err) {
    await sink.close().catch(() => undefined);
    throw err;
  }
  return sink;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`HDFS Parquet sink: ${name} must be a positive number, got ${value}`);
  return value;
}

// --- the spool folder's lock ------------------------------------------------------------------------

const lockedHere = new Set<string>();

/**
 * One sink per spool folder: two would seal and upload each other's files. The lock is a file holding
 * the owner's pid; a lock whose process is gone (or that this process left behind) is taken over.
 */
async function lockSpoolDir(spoolDir: string): Promise<() => Promise<void>> {
  if (lockedHere.has(spoolDir)) {
    throw new Error(
      `HDFS Parquet sink: the spool folder ${spoolDir} is in use by another sink of this process. ` +
        'Close that sink first (an earlier attempt of the activity may still be running), or give this one its own spoolDir.',
    );
  }
  const lockPath = join(spoolDir, 'spool.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      lockedHere.add(spoolDir);
      return async () => {
        lockedHere.delete(spoolDir);
        await rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new Error(
          `HDFS Parquet sink: the spool folder ${spoolDir} is in use by process ${owner} (lock file ${lockPath}). ` +
            'Each sink needs its own spool folder (STREAM_SPOOL_DIR); if that process is not a sink, delete the lock file.',
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`HDFS Parquet sink: could not take the lock ${lockPath}; another process keeps taking it. Give each sink its own spool folder.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
