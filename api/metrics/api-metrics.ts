import type { NextFunction, Request, Response } from 'express';
import type { PredictionResult } from '../../common/prediction/result';
import { requestLatencyMs } from '../predictions/live-stats';
import { Counter, Gauge, Histogram, Registry } from './registry';

// Fine below 100 ms, where a realtime answer's tail lives (and where bench:api reads its hops from).
const secondsBuckets = [0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10];

/** The API's metrics: HTTP requests and latencies, predictions by class and their latency, the stream's consumer lag. */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests = this.registry.register(new Counter('flight_delay_http_requests_total', 'HTTP requests answered, by method, route and status'));
  private readonly durations = this.registry.register(new Histogram('flight_delay_http_request_duration_seconds', 'HTTP request duration, by method and route', secondsBuckets));
  private readonly predictions = this.registry.register(new Counter('flight_delay_predictions_total', 'Predictions seen on the response topic, by class'));
  private readonly predictionLatency = this.registry.register(
    new Histogram('flight_delay_prediction_latency_seconds', 'From the request Timestamp to the result reaching the API', secondsBuckets),
  );

  constructor(consumerLag: () => number | null) {
    this.registry.register(new Gauge('flight_delay_stream_consumer_lag', 'Requests waiting in the request topic (streaming workflow stats)', consumerLag));
  }

  /** Express middleware: counts and times every request by its route pattern (not its raw path). */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const route = (req.route as { path?: string } | undefined)?.path;
        const labels = { method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched' };
        this.requests.inc({ ...labels, status: String(res.statusCode) });
        this.durations.observe(Number(process.hrtime.bigint() - start) / 1e9, labels);
      });
      next();
    };
  }

  recordPrediction(result: PredictionResult): void {
    this.predictions.inc({ class: String(result.Prediction), label: result.PredictionLabel });
    const ms = requestLatencyMs(result, Date.now());
    if (ms !== undefined) this.predictionLatency.observe(ms / 1000);
  }

  text(): string {
    return this.registry.text();
  }
}
