import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createLogger, type Logger } from '../../../common/logger';
import type { PredictionResult } from '../../../common/prediction/result';
import { resultProblem } from '../../../common/prediction/parquet-schema';
import { activeSpoolName, AppendOnlyFile, fsyncDir, toJsonLines } from './parquet-spool';
import type { ResultSink } from './sink';
import { lockSpoolDir } from './spool-lock';
import { SpoolRoller, type ParquetHdfs } from './spool-roller';

// Longer than 250 lines on purpose: HdfsParquetSink is one state machine (spool files open per date, sealing,
// the roller, closing) whose invariants span its methods; its parts that stand alone (spool files, the roller,
// the lock) are in files of their own.

export type { ParquetHdfs } from './spool-roller';

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
 *   Uploads run in the background of accept (see SpoolRoller); flush() waits for them and fails if one failed.
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
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly maxPendingFiles: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly active = new Map<string, ActiveSpool>();
  private readonly roller: SpoolRoller;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  /** Use hdfsParquetSink(), which takes the spool folder's lock and recovers leftover spool files. */
  constructor(
    options: HdfsParquetSinkOptions,
    private readonly releaseLock: () => Promise<void>,
  ) {
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
    this.roller = new SpoolRoller({ hdfs: options.hdfs, spoolDir: this.spoolDir, baseDir: this.baseDir, log: this.log, now: this.now });
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
      if (byDate.size > 0 && this.roller.pendingFiles >= this.maxPendingFiles) {
        void this.roller.kick();
        throw new Error(
          `HDFS Parquet sink: ${this.roller.pendingFiles} Parquet files wait for their upload to ${this.baseDir} ` +
            `(last error: ${this.roller.lastError?.message ?? 'none yet'}); no more results are taken until HDFS accepts them. ` +
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
    await this.roller.settled();
  }

  stats(): HdfsParquetSinkStats {
    return {
      spooledRows: [...this.active.values()].reduce((sum, s) => sum + s.rows, 0),
      pendingFiles: this.roller.pendingFiles,
      ...this.roller.uploaded(),
      lastError: this.roller.lastError?.message,
    };
  }

  /** At start: seals leftover active spool files, picks up sealed ones, and rolls them all (failures are logged and retried later). */
  async recover(): Promise<void> {
    await this.roller.recover();
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
    if (this.roller.pendingFiles > 0) void this.roller.kick();
  }

  private async rollEverything(): Promise<void> {
    for (const spool of [...this.active.values()]) await this.sealActive(spool);
    await this.roller.kick();
    if (this.roller.pendingFiles > 0) {
      throw new Error(
        `HDFS Parquet sink: ${this.roller.pendingFiles} spool file(s) could not be uploaded to ${this.baseDir}: ${this.roller.lastError?.message ?? 'unknown error'}. ` +
          `They stay in ${this.spoolDir} and are retried on the next roll or flush, and at the next start.`,
        { cause: this.roller.lastError },
      );
    }
  }

  private async sealActive(spool: ActiveSpool): Promise<void> {
    this.active.delete(spool.date);
    await spool.file.close();
    await this.roller.seal(spool.date, spool.file.path);
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
