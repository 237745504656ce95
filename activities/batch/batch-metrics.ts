import { Counter, Histogram, Registry } from 'prom-client';
import { jobSecondsBuckets } from '../../common/metrics/buckets';

/**
 * The daily batch's metrics in the batch worker's registry: how long a date takes (staging to
 * _SUCCESS, observed by the worker that finishes it), how long each chunk takes on this worker, and
 * the rows it scored and rejected. A retried chunk counts its rows again.
 */
export class BatchMetrics {
  private readonly dateDuration: Histogram;
  private readonly chunkDuration: Histogram<'outcome'>;
  private readonly rows: Counter<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.dateDuration = new Histogram({
      name: 'flight_delay_batch_date_duration_seconds',
      help: "A date's batch prediction from its first activity (staging the tasks) to _SUCCESS written",
      buckets: jobSecondsBuckets,
      registers,
    });
    this.chunkDuration = new Histogram({
      name: 'flight_delay_batch_chunk_duration_seconds',
      help: "One chunk scored on this worker: its tasks read, scored, written to HDFS and MongoDB; by outcome (ok, failed)",
      labelNames: ['outcome'],
      buckets: jobSecondsBuckets,
      registers,
    });
    this.rows = new Counter({ name: 'flight_delay_batch_rows_total', help: 'Batch tasks scored or rejected by this worker, by outcome (scored, rejected)', labelNames: ['outcome'], registers });
  }

  /** Metrics kept in a registry nobody serves: for activities built without the worker's (tests). */
  static unserved(): BatchMetrics {
    return new BatchMetrics(new Registry());
  }

  /** Runs one chunk, timing it; its rows are counted when it succeeds. */
  async chunk<T extends { scored: number; rejected: number }>(work: () => Promise<T>): Promise<T> {
    const end = this.chunkDuration.startTimer();
    try {
      const done = await work();
      end({ outcome: 'ok' });
      this.rows.inc({ outcome: 'scored' }, done.scored);
      this.rows.inc({ outcome: 'rejected' }, done.rejected);
      return done;
    } catch (err) {
      end({ outcome: 'failed' });
      throw err;
    }
  }

  /** A date finished: its duration since `startedAt` (ISO), when the workflow said when it started. */
  dateFinished(startedAt: string | undefined, now = Date.now()): void {
    const started = startedAt ? Date.parse(startedAt) : NaN;
    if (Number.isFinite(started)) this.dateDuration.observe(Math.max(0, now - started) / 1000);
  }
}
