import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { StreamingActivities } from '../../../activities/streaming';
import { emptyConsumerStats, streamControlQuery, streamStatsSignal, type ConsumerInput, type ConsumerStats } from '../../../common/contracts/streaming';

/** What a stand-in consumer does besides consuming: end (the slot restarts it) or fail its first attempt (Temporal retries it). */
export interface ConsumerScript {
  /** Activity ids whose first attempt throws, as a crashed Kafka consumer does. */
  failFirstAttempt?: readonly string[];
  /** How often each consumer reports its stats to the workflow; default 1 s. */
  reportEveryMs?: number;
  /** The request topic's partitions the consumers report; default 3. */
  topicPartitions?: number;
}

/**
 * Stand-ins for the stream's consume-and-score activity: the same activity interface, the same
 * conversation with the workflow (the control query at start, a stats signal at once and then every
 * interval, heartbeats, an end on cancellation), with made-up counts instead of Kafka and a model.
 * `end(activityId)` makes a consumer return, as the real one does when its consumer stops for good.
 */
export class StandInConsumers {
  private readonly ending = new Map<string, () => void>();

  constructor(
    private readonly client: Client,
    private readonly script: ConsumerScript = {},
  ) {}

  /** Makes the running consumer with this activity id return its stats. */
  end(activityId: string): void {
    const finish = this.ending.get(activityId);
    if (!finish) throw new Error(`no stand-in consumer ${activityId} is running (running: ${[...this.ending.keys()].join(', ') || 'none'})`);
    finish();
  }

  activities(): StreamingActivities {
    return { consumeAndScore: (input: ConsumerInput) => this.consume(input) };
  }

  private async consume({ slot }: ConsumerInput): Promise<ConsumerStats> {
    const ctx = Context.current();
    const { activityId, attempt, workflowExecution } = ctx.info;
    if (!workflowExecution) throw new Error('consumeAndScore runs only inside the streaming workflow');
    const workflow = this.client.workflow.getHandle(workflowExecution.workflowId);
    const control = await workflow.query(streamControlQuery);
    const partitions = this.script.topicPartitions ?? 3;
    const stats: ConsumerStats = {
      ...emptyConsumerStats(activityId, slot),
      worker: `${process.pid}@replay-recorder`,
      partitions: [slot % partitions],
      modelVersion: control.modelVersion ?? '3',
      activityAttempt: attempt,
      topicPartitions: partitions,
    };
    if (attempt === 1 && this.script.failFirstAttempt?.includes(activityId)) {
      throw new Error(`KafkaJSNumberOfRetriesExceeded: the consumer of slot ${slot} lost its broker (stand-in)`);
    }
    let ended = false;
    this.ending.set(activityId, () => {
      ended = true;
    });
    const report = async (): Promise<void> => {
      stats.reportedAt = new Date().toISOString();
      await workflow.signal(streamStatsSignal, { ...stats, partitions: [...stats.partitions], lagByPartition: { ...stats.lagByPartition } });
    };
    try {
      await report();
      let lastReport = Date.now();
      while (!ended && !ctx.cancellationSignal.aborted) {
        await Promise.race([new Promise((r) => setTimeout(r, 100)), ctx.cancelled.catch(() => undefined)]);
        ctx.heartbeat({ consumed: stats.consumed, scored: stats.scored, deadLettered: stats.deadLettered, batches: stats.batches });
        if (Date.now() - lastReport >= (this.script.reportEveryMs ?? 1000)) {
          const batch = 500;
          Object.assign(stats, {
            consumed: stats.consumed + batch,
            scored: stats.scored + batch - 1,
            deadLettered: stats.deadLettered + 1,
            batches: stats.batches + 1,
            lagByPartition: { [String(slot % partitions)]: 40 },
            consumerLag: 40,
            throughputPerSecond: batch,
            lastBatchAt: new Date().toISOString(),
          } satisfies Partial<ConsumerStats>);
          lastReport = Date.now();
          await report();
        }
      }
    } finally {
      this.ending.delete(activityId);
    }
    // Cancelled (scaled away, continue-as-new) or ended: the real consumer returns its counts either way.
    return stats;
  }
}
