import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Logger } from '../../common/logger';
import type { PredictionResult } from '../../common/prediction/result';

/** How long the hub's consumer lets the broker wait for responses: a result waits at most this long in the topic. */
export const resultHubMaxWaitMs = 20;

/**
 * Where the API learns of results: a consumer of the response topic in a consumer group of its own
 * (every API process sees every result, from the moment it joined), a bounded memory of the latest
 * results by id, waiters for one id, and a 'result' event for the live push and the dashboard.
 * Results older than the process, or missed while it was away, are found in MongoDB, whose _id is the
 * request's UUID.
 */
export class ResultHub extends EventEmitter<{ result: [PredictionResult] }> {
  private readonly recent = new Map<string, PredictionResult>();
  private readonly waiters = new Map<string, Set<(r: PredictionResult) => void>>();
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly db: Db,
    private readonly names: { response: string; resultsCollection: string },
    private readonly log: Logger,
    private readonly keep = 10_000,
  ) {
    super();
    this.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `flight-delay-api-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: resultHubMaxWaitMs });
    await consumer.connect();
    await consumer.subscribe({ topic: this.names.response, fromBeginning: false });
    await consumer.run({
      // The group is this process's own and reads from the end: its offsets are never read, and committing
      // them after every batch put a round trip to the broker between one fetch of results and the next.
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (!m.value) continue;
          try {
            this.accept(JSON.parse(m.value.toString('utf8')) as PredictionResult);
          } catch (err) {
            this.log.warn('a response message is not JSON; skipped', { offset: m.offset, error: (err as Error).message });
          }
        }
        return Promise.resolve();
      },
    });
    this.consumer = consumer;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
  }

  /** A result the hub has seen lately, or the stored one in MongoDB, or undefined while it is pending. */
  async find(id: string): Promise<PredictionResult | undefined> {
    const seen = this.recent.get(id);
    if (seen) return seen;
    const stored = await this.db
      .collection<{ _id: string } & PredictionResult>(this.names.resultsCollection)
      .findOne({ _id: id }, { projection: { _id: 0 } });
    return stored ?? undefined;
  }

  /**
   * The result of `id` as soon as it is known, or undefined after `timeoutMs`. The waiter is registered
   * before anything else, so a result arriving meanwhile is never missed; for an id published just now
   * pass `fresh` to skip the store, which cannot hold it yet (it is asked once more at the end either way).
   */
  async waitFor(id: string, timeoutMs: number, options: { fresh?: boolean } = {}): Promise<PredictionResult | undefined> {
    const seen = this.recent.get(id);
    if (seen) return seen;
    if (timeoutMs <= 0) return this.find(id);
    return new Promise((resolve) => {
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      const waiters = set;
      const done = (r: PredictionResult | undefined): void => {
        clearTimeout(timer);
        waiters.delete(waiter);
        if (waiters.size === 0 && this.waiters.get(id) === waiters) this.waiters.delete(id);
        resolve(r);
      };
      const waiter = (r: PredictionResult): void => done(r);
      // The last word goes to MongoDB: the result may have come while the hub was not listening.
      const timer = setTimeout(() => void this.find(id).then(done, () => done(undefined)), timeoutMs);
      waiters.add(waiter);
      if (!options.fresh) {
        this.find(id).then(
          (stored) => stored && done(stored),
          () => undefined,
        );
      }
    });
  }

  /** The latest results, newest first. */
  latest(n: number): PredictionResult[] {
    return [...this.recent.values()].slice(-n).reverse();
  }

  /** Takes one result (from the topic, or from a test). */
  accept(result: PredictionResult): void {
    if (typeof result?.UUID !== 'string') return;
    if (this.recent.has(result.UUID)) this.recent.delete(result.UUID); // a duplicate moves to the end
    this.recent.set(result.UUID, result);
    if (this.recent.size > this.keep) this.recent.delete(this.recent.keys().next().value!);
    const waiting = this.waiters.get(result.UUID);
    if (waiting) {
      this.waiters.delete(result.UUID);
      for (const w of waiting) w(result);
    }
    this.emit('result', result);
  }
}
