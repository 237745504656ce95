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

  constructor(
    private readonly temporal: Client,
    private readonly log: Logger,
    private readonly workflowId: string = workflowIds.streaming,
  ) {}

  start(everyMs = 5000): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  current(): StreamState {
    return this.state;
  }

  async refresh(): Promise<StreamState> {
    try {
      const stats = await this.temporal.workflow.getHandle(this.workflowId).query(streamStatsQuery);
      this.state = { consumerLag: stats.consumerLag, status: stats.paused ? 'paused' : 'running', modelVersion: stats.modelVersion };
    } catch (err) {
      const message = (err as Error).message;
      this.state = { consumerLag: null, status: /not found/i.test(message) ? 'not started (npm run worker:scoring)' : 'unreachable', modelVersion: null };
      this.log.debug('stream stats query failed', { error: message });
    }
    return this.state;
  }
}
