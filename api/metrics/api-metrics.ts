import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { realtimeSecondsBuckets } from '../../common/metrics/buckets';
import { createProcessRegistry } from '../../common/metrics/process-registry';
import type { PredictionResult } from '../../common/prediction/result';
import { requestLatencyMs } from '../predictions/live-stats';

/** The API's metrics: its process, HTTP requests and latencies, predictions by class and their latency, the stream's consumer lag. */
export class ApiMetrics {
  readonly registry: Registry = createProcessRegistry('api');
  private readonly requests = new Counter({
    name: 'flight_delay_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: 'flight_delay_http_request_duration_seconds',
    help: 'HTTP request duration, by method and route',
    labelNames: ['method', 'route'],
    buckets: realtimeSecondsBuckets,
    registers: [this.registry],
  });
  private readonly predictions = new Counter({
    name: 'flight_delay_predictions_total',
    help: 'Predictions seen on the response topic by this API process, by class index and label',
    labelNames: ['class', 'label'],
    registers: [this.registry],
  });
  private readonly predictionLatency = new Histogram({
    name: 'flight_delay_prediction_latency_seconds',
    help: "From a request's Timestamp (set when the API took it) to its result reaching the API",
    buckets: realtimeSecondsBuckets,
    registers: [this.registry],
  });

  constructor(consumerLag: () => number | null) {
    new Gauge({
      name: 'flight_delay_stream_consumer_lag',
      help: "Requests waiting in the request topic, summed over its partitions (the streaming workflow's stats); no sample while unknown",
      // A label that is never set: prom-client writes 0 for a gauge without labels even after reset(), and an unknown lag is not 0.
      labelNames: ['never'],
      registers: [this.registry],
      collect() {
        const lag = consumerLag();
        if (lag === null) this.reset();
        else this.set(lag);
      },
    });
  }

  /** Express middleware: counts and times every request by its route pattern (not its raw path). */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const route = (req.route as { path?: string } | undefined)?.path;
        const labels = { method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched' };
        this.requests.inc({ ...labels, status: String(res.statusCode) });
        this.durations.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      });
      next();
    };
  }

  recordPrediction(result: PredictionResult): void {
    this.predictions.inc({ class: String(result.Prediction), label: result.PredictionLabel });
    const ms = requestLatencyMs(result, Date.now());
    if (ms !== undefined) this.predictionLatency.observe(ms / 1000);
  }

  /** The Prometheus text exposition of every metric above. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
