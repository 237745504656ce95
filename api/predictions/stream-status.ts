import type { Client } from '@temporalio/client';
import type { Logger } from '../../common/logger';
import { workflowIds } from '../../common/names';
import { streamStatsQuery } from '../../common/contracts/streaming';

export interface StreamState {
  consumerLag: number | null;
  status: string;
  modelVersion: string | null;
}

/** The streaming workflow's stats, asked every few seconds (not per dashboard tick): lag, model, running or not. */
export class StreamStatus {
  private state: StreamState = { consumerLag: null, status: 'unknown', modelVersion: null };
  private timer: NodeJS.Timeout | undefined;
  /** Cancels a query in flight at stop: the client retries a failing call on timers that would outlive its connection. */
  private readonly stopping = new AbortController();
  private inFlight: Promise<StreamState> | undefined;

  constructor(
    private readonly temporal: Client,
    private readonly log: Logger,
    /** The streaming workflow whose stats these are, and which the model routes signal. */
    readonly workflowId: string = workflowIds.streaming,
  ) {}

  start(everyMs = 5000): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref();
  }

  /** Stops asking, and waits for the query in flight (cancelled) to end, so the connection can close. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.inFlight;
  }

  current(): StreamState {
    return this.state;
  }

  /** Asks now; callers arriving while a question is in flight share its answer (the health routes may be called often). */
  refresh(): Promise<StreamState> {
    if (this.inFlight) return this.inFlight;
    const asking = this.ask().finally(() => {
      if (this.inFlight === asking) this.inFlight = undefined;
    });
    this.inFlight = asking;
    return asking;
  }

  private async ask(): Promise<StreamState> {
    if (this.stopping.signal.aborted) return this.state;
    try {
      const stats = await this.temporal.withAbortSignal(this.stopping.signal, () =>
        this.temporal.workflow.getHandle(this.workflowId).query(streamStatsQuery),
      );
      this.state = { consumerLag: stats.consumerLag, status: stats.paused ? 'paused' : 'running', modelVersion: stats.modelVersion };
    } catch (err) {
      const message = (err as Error).message;
      this.state = { consumerLag: null, status: /not found/i.test(message) ? 'not started (npm run worker:scoring)' : 'unreachable', modelVersion: null };
      this.log.debug('stream stats query failed', { error: message });
    }
    return this.state;
  }
}
