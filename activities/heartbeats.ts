import type { Context } from '@temporalio/activity';

/**
 * How often the details are sent again while one long call is awaited (a collection scan, a delete, a
 * model written to HDFS or uploaded to MLflow).
 */
const keepAliveMs = 5_000;

export interface Heartbeats {
  /** Sends the current details now (the SDK throttles what reaches the server; a failure sends the last one). */
  beat(): void;
  /** Throws the cancellation when the workflow asked the activity to stop. */
  throwIfCancelled(): void;
  stop(): void;
}

/**
 * Heartbeats `details()` now, on every beat(), and every few seconds in between (a third of the
 * heartbeat timeout when that is shorter), so a single long call does not look like a dead worker.
 * The details are read when sent: keep them current.
 */
export function heartbeats<T>(ctx: Context, details: () => T, everyMs = keepAliveMs): Heartbeats {
  const beat = (): void => ctx.heartbeat(details());
  beat();
  // Well inside the activity's heartbeat timeout, however short the workflow set it.
  const timeoutMs = ctx.info.heartbeatTimeoutMs;
  const timer = setInterval(beat, timeoutMs ? Math.max(100, Math.min(everyMs, timeoutMs / 3)) : everyMs);
  return {
    beat,
    throwIfCancelled() {
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
    },
    stop: () => clearInterval(timer),
  };
}

/** Runs `work` with heartbeats of `details()` kept going (see heartbeats), stopped when it settles. */
export async function keptAlive<T, D>(ctx: Context, details: () => D, work: (beats: Heartbeats) => Promise<T>, everyMs = keepAliveMs): Promise<T> {
  const beats = heartbeats(ctx, details, everyMs);
  try {
    return await work(beats);
  } finally {
    beats.stop();
  }
}
