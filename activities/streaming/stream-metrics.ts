import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { realtimeSecondsBuckets, writeSecondsBuckets } from '../../common/metrics/buckets';
import type { ConsumerStats } from '../../common/contracts/streaming';
import type { PredictionResult } from '../../common/prediction/result';
import type { BatchCounts } from './commit-tracker';
import type { ResultSink } from './sinks/sink';

/**
 * The stream's metrics in the scoring worker's registry: what its consumers stored (by consumer
 * slot), their lag by partition, each sink's write latency, predictions by class, the model in use
 * and the time from a request's Timestamp to its result being scored. Lag and model are read from
 * the running consumers' stats at each scrape, so a consumer that ended or lost a partition to a
 * rebalance leaves no stale series behind.
 */
export class StreamMetrics {
  private readonly consumed: Counter<'consumer'>;
  private readonly scored: Counter<'consumer'>;
  private readonly deadLettered: Counter<'consumer'>;
  private readonly sinkWrites: Histogram<'sink'>;
  private readonly sinkFailures: Counter<'sink'>;
  private readonly predictions: Counter<'class' | 'label'>;
  private readonly requestToScored: Histogram;
  private readonly running = new Set<ConsumerStats>();

  constructor(registry: Registry) {
    const registers = [registry];
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name, help, labelNames, registers });
    this.consumed = counter('flight_delay_stream_consumed_total', 'Requests read from the request topic and stored by every sink, by consumer slot', ['consumer']);
    this.scored = counter('flight_delay_stream_scored_total', 'Requests scored and stored by every sink, by consumer slot', ['consumer']);
    this.deadLettered = counter('flight_delay_stream_dead_lettered_total', 'Requests that could not be scored, sent to the dead-letter topic, by consumer slot', ['consumer']);
    this.sinkWrites = new Histogram({ name: 'flight_delay_stream_sink_write_duration_seconds', help: 'One write of results to a sink (a group of micro-batches), by sink', labelNames: ['sink'], buckets: writeSecondsBuckets, registers });
    this.sinkFailures = counter('flight_delay_stream_sink_write_failures_total', 'Sink writes that failed (the batch is retried by the next attempt), by sink', ['sink']);
    this.predictions = counter('flight_delay_stream_predictions_total', 'Predictions the stream scored, by class index and label', ['class', 'label']);
    this.requestToScored = new Histogram({
      name: 'flight_delay_stream_request_to_scored_seconds',
      help: "From a request's Timestamp (set by the API when it took the request) to its result being scored; requests without a Timestamp are not counted",
      buckets: realtimeSecondsBuckets,
      registers,
    });
    const running = this.running;
    new Gauge({
      name: 'flight_delay_stream_lag_messages',
      help: "Messages behind the end of each request-topic partition this worker's consumers read, as of the partition's last batch",
      labelNames: ['partition'],
      registers,
      collect() {
        this.reset();
        for (const stats of running) for (const [partition, lag] of Object.entries(stats.lagByPartition)) this.set({ partition }, lag);
      },
    });
    new Gauge({
      name: 'flight_delay_stream_model_info',
      help: "The model version this worker's consumers score with (1 per version in use; two only during a reload)",
      labelNames: ['version'],
      registers,
      collect() {
        this.reset();
        for (const stats of running) if (stats.modelVersion !== null) this.set({ version: stats.modelVersion }, 1);
      },
    });
  }

  /** Metrics kept in a registry nobody serves: for activities built without the worker's (tests). */
  static unserved(): StreamMetrics {
    return new StreamMetrics(new Registry());
  }

  /** A running consumer's stats feed the lag and model gauges until the returned function is called. */
  follow(stats: ConsumerStats): () => void {
    this.running.add(stats);
    return () => this.running.delete(stats);
  }

  /** A batch every sink accepted. */
  stored(slot: number, counts: BatchCounts): void {
    const consumer = String(slot);
    this.consumed.inc({ consumer }, counts.consumed);
    this.scored.inc({ consumer }, counts.scored);
    this.deadLettered.inc({ consumer }, counts.deadLettered);
  }

  /** Results just scored: their classes and their time since the request. */
  scoredResults(results: readonly PredictionResult[], now = Date.now()): void {
    for (const r of results) {
      this.predictions.inc({ class: String(r.Prediction), label: r.PredictionLabel });
      const requested = r.RequestTimestamp ? Date.parse(r.RequestTimestamp) : NaN;
      if (Number.isFinite(requested)) this.requestToScored.observe(Math.max(0, now - requested) / 1000);
    }
  }

  /** Times every write of `sink` into the write-latency histogram, and counts its failures. */
  timed<R>(sink: ResultSink<R>): ResultSink<R> {
    const { sinkWrites, sinkFailures } = this;
    return {
      name: sink.name,
      async accept(results) {
        if (results.length === 0) return sink.accept(results);
        const end = sinkWrites.startTimer({ sink: sink.name });
        try {
          await sink.accept(results);
          end();
        } catch (err) {
          sinkFailures.inc({ sink: sink.name });
          throw err;
        }
      },
      flush: () => sink.flush(),
      close: () => sink.close(),
    };
  }

  /** Times a write that is not a ResultSink (the dead-letter topic) under `sink`. */
  async time<T>(sink: string, write: () => Promise<T>): Promise<T> {
    const end = this.sinkWrites.startTimer({ sink });
    try {
      const value = await write();
      end();
      return value;
    } catch (err) {
      this.sinkFailures.inc({ sink });
      throw err;
    }
  }
}
