import { percentile } from '../../common/percentile';
import type { PredictionResult } from '../../common/prediction/result';

/** What the dashboard shows each second ('stats' on the socket). */
export interface LiveStats {
  predictionsPerSecond: number;
  total: number;
  byClass: number[];
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; count: number };
  consumerLag: number | null;
  streamStatus: string;
  modelVersion: string | null;
  at: string;
}

const windowMs = 60_000;

/** Request → result: from the result's RequestTimestamp to `now`, in ms; undefined when it has none. The dashboard and /metrics both use it. */
export function requestLatencyMs(result: PredictionResult, now: number): number | undefined {
  const requested = result.RequestTimestamp ? Date.parse(result.RequestTimestamp) : NaN;
  return Number.isFinite(requested) ? Math.max(0, now - requested) : undefined;
}

/**
 * Counters of the results this API process has seen: per-second counts for the rate, counts per
 * class, and the latency request → result (its RequestTimestamp to its arrival here) over the last minute.
 */
export class LiveStatsCollector {
  private total = 0;
  private readonly byClass = [0, 0, 0, 0];
  private readonly perSecond = new Map<number, number>();
  private latencies: { at: number; ms: number }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  record(result: PredictionResult): void {
    const now = this.now();
    this.total += 1;
    if (Number.isInteger(result.Prediction) && result.Prediction >= 0 && result.Prediction < this.byClass.length) this.byClass[result.Prediction]! += 1;
    const second = Math.floor(now / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    const ms = requestLatencyMs(result, now);
    if (ms !== undefined) this.latencies.push({ at: now, ms });
  }

  /** The last complete second's count, the totals, and the latency percentiles of the last minute. */
  snapshot(stream: { consumerLag: number | null; status: string; modelVersion: string | null }): LiveStats {
    const now = this.now();
    const second = Math.floor(now / 1000);
    for (const s of this.perSecond.keys()) if (s < second - 60) this.perSecond.delete(s);
    this.latencies = this.latencies.filter((l) => l.at >= now - windowMs);
    const sorted = this.latencies.map((l) => l.ms).sort((a, b) => a - b);
    const pct = (p: number): number | null => percentile(sorted, p) ?? null;
    return {
      predictionsPerSecond: this.perSecond.get(second - 1) ?? 0,
      total: this.total,
      byClass: [...this.byClass],
      latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), count: sorted.length },
      consumerLag: stream.consumerLag,
      streamStatus: stream.status,
      modelVersion: stream.modelVersion,
      at: new Date(now).toISOString(),
    };
  }
}
