import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createLogger, type Logger } from '../../../common/logger';
import type { PredictionResult } from '../../../common/prediction/result';
import { AppendOnlyFile, fsyncDir, toJsonLines } from './parquet-spool';
import type { ResultSink } from './sink';

export interface TextFileSinkOptions {
  /** The text file (created with its folder when missing); one JSON line per result is appended. */
  path: string;
  /**
   * 'on-accept' (the default): every accept() appends its batch with one write and an fsync, and
   * resolves after — the mode to use among the consumer's sinks.
   * 'interval': accept() only buffers; the buffer is appended every `intervalMs` and on flush/close.
   */
  mode?: 'on-accept' | 'interval';
  /** 'interval' mode only: how often the buffer is written; default 10,000 (the NiFi job's 10 s). */
  intervalMs?: number;
  logger?: Logger;
}

/**
 * The seed's NiFi job copied the responses into a text file every 10 seconds. Here the copy is one
 * JSON line per PredictionResult (the response-topic message), appended to `path`.
 *
 * Why accept() writes at once by default: the consumer commits a batch's Kafka offsets only after every
 * sink accepted it, so `accept` resolving must mean the lines are on disk. Holding them in memory for
 * up to 10 s would either make accept resolve early (a crash then loses up to 10 s of lines that
 * Kafka no longer redelivers) or make it wait for the next tick (every micro-batch stalled up to 10 s).
 * Writing each batch with one write and one fsync keeps the promise at the cost of one fsync per
 * micro-batch, which the micro-batches already amortise over hundreds of results. The file is
 * at-least-once: a batch replayed after a crash between accept and the offset commit appears twice
 * (deduplicate on UUID; MongoDB is the exactly-once store).
 *
 * The 10-s cadence remains as the opt-in 'interval' mode, for a copier whose loss of the last interval
 * on a crash is acceptable, or that commits its own source's offsets only after flush(): there
 * `durableOnAccept` is false, and such a sink must not be among those that gate the consumer's commits.
 */
export class TextFileSink implements ResultSink {
  readonly name = 'text-file';
  readonly durableOnAccept: boolean;
  private buffer: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly log: Logger;

  /** Use textFileSink(), which opens the file. */
  constructor(
    private readonly file: AppendOnlyFile,
    options: Omit<TextFileSinkOptions, 'path'>,
  ) {
    this.log = options.logger ?? createLogger('text-file-sink');
    this.durableOnAccept = (options.mode ?? 'on-accept') === 'on-accept';
    if (!this.durableOnAccept) {
      const intervalMs = options.intervalMs ?? 10_000;
      if (!(Number.isFinite(intervalMs) && intervalMs > 0)) {
        throw new Error(`text file sink: intervalMs must be a positive number of milliseconds, got ${intervalMs}`);
      }
      this.timer = setInterval(() => {
        this.exclusive(() => this.writeBuffer()).catch((err: unknown) =>
          this.log.warn('could not append to the text file; the lines stay buffered and are retried', {
            path: this.path,
            error: (err as Error).message,
          }),
        );
      }, intervalMs);
      this.timer.unref();
    }
  }

  get path(): string {
    return this.file.path;
  }

  /** Lines accepted but not yet in the file ('interval' mode; always 0 in 'on-accept' mode). */
  get bufferedLines(): number {
    return this.buffer.length;
  }

  async accept(results: readonly PredictionResult[]): Promise<void> {
    if (this.closed) throw new Error(`text file sink: accept() after close(); create a new sink with textFileSink()`);
    if (results.length === 0) return;
    if (!this.durableOnAccept) {
      this.buffer.push(toJsonLines(results));
      return;
    }
    const lines = toJsonLines(results);
    return this.exclusive(() => this.write(lines));
  }

  /** Writes what is buffered ('interval' mode); a no-op in 'on-accept' mode, where nothing is held back. */
  async flush(): Promise<void> {
    return this.exclusive(() => this.writeBuffer());
  }

  /** Writes what is buffered and closes the file. */
  async close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      this.closed = true;
      clearInterval(this.timer);
      try {
        await this.writeBuffer();
      } finally {
        await this.file.close();
      }
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeBuffer(): Promise<void> {
    if (this.buffer.length === 0) return;
    const taken = this.buffer.length;
    await this.write(this.buffer.join(''));
    this.buffer.splice(0, taken);
  }

  private async write(text: string): Promise<void> {
    try {
      await this.file.append(text);
    } catch (err) {
      throw new Error(
        `text file sink: cannot append to ${this.path} (${(err as Error).message}). Check the free space and permissions of ${dirname(this.path)}.`,
        { cause: err },
      );
    }
  }
}

/** Opens (creating when missing) the text file and returns its sink. See TextFileSink for the modes. */
export async function textFileSink(options: TextFileSinkOptions): Promise<TextFileSink> {
  const path = resolve(options.path);
  let file: AppendOnlyFile;
  try {
    await mkdir(dirname(path), { recursive: true });
    file = await AppendOnlyFile.open(path);
  } catch (err) {
    throw new Error(
      `text file sink: cannot open ${path} for appending (${(err as Error).message}). ` +
        'Point it (STREAM_TEXT_FILE) at a file whose folder can be created and written.',
      { cause: err },
    );
  }
  try {
    await fsyncDir(dirname(path));
    return new TextFileSink(file, options);
  } catch (err) {
    await file.close();
    throw err;
  }
}
