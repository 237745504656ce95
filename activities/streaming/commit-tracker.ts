/**
 * Which Kafka offsets the consumer may commit while micro-batches are still in the sinks.
 *
 * The consumer hands a partition's micro-batches to the sinks one after another, without waiting for
 * the sinks of the previous one, so that fetching and scoring overlap the writes. A batch's end offset
 * becomes committable only when every sink accepted that batch *and* every batch handed over before
 * it on the same partition: the committed offset never passes a result that is not stored. When a
 * batch fails, nothing after it on its partition becomes committable, and `failure` holds the error
 * (the consumer stops; the next attempt resumes from the last commit).
 *
 * Pure bookkeeping: no Kafka client, no timers; scoring-pipeline.ts drives it.
 */

export interface CommittableOffset {
  topic: string;
  partition: number;
  /** The next offset to read: the last stored offset + 1, as Kafka commits it. */
  offset: string;
}

/** What a batch holds: its messages, the results among them and the rejects sent to the dead-letter topic. */
export interface BatchCounts {
  consumed: number;
  scored: number;
  deadLettered: number;
}

interface InFlight {
  /** Settles when the batch and all batches before it on its partition are stored (or one failed). */
  link: Promise<void>;
  startedAt: number;
  /** The sinks that have not accepted the batch yet. */
  waitingFor: Set<string>;
  counts: BatchCounts;
}

export class CommitTracker {
  private readonly inFlight = new Map<string, InFlight[]>();
  /** The highest stored offset per partition, and the partitions where it moved since the last take. */
  private readonly stored = new Map<string, CommittableOffset>();
  private readonly moved = new Set<string>();
  private firstFailure: Error | undefined;
  private readonly failureListeners: ((err: Error) => void)[] = [];

  constructor(
    /** Called each time a batch becomes committable. */
    private readonly onStored: (counts: BatchCounts) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Registers a batch read from `topic`/`partition` up to `lastOffset`, whose sinks run as `sinks`
   * (name → the promise of its accept).
   */
  track(topic: string, partition: number, lastOffset: string, counts: BatchCounts, sinks: ReadonlyMap<string, Promise<unknown>>): void {
    const key = `${topic}|${partition}`;
    const queue = this.inFlight.get(key) ?? [];
    this.inFlight.set(key, queue);
    const previous = queue.at(-1)?.link ?? Promise.resolve();
    const waitingFor = new Set(sinks.keys());
    const stored = Promise.all(
      [...sinks].map(([name, accepted]) =>
        accepted.then(
          () => waitingFor.delete(name),
          (err: unknown) => {
            throw new Error(`sink ${name} did not accept the batch ending at ${topic}[${partition}]@${lastOffset}: ${(err as Error).message}`, { cause: err });
          },
        ),
      ),
    );
    const entry: InFlight = { link: Promise.resolve(), startedAt: this.now(), waitingFor, counts };
    entry.link = Promise.all([previous, stored]).then(
      () => {
        this.advance(topic, partition, lastOffset);
        this.onStored(counts);
      },
      (err: unknown) => {
        this.fail(err as Error);
        throw err;
      },
    );
    // The chain carries the rejection to later links; `failure` reports it, so it is never unhandled.
    entry.link
      .catch(() => undefined)
      .finally(() => {
        const i = queue.indexOf(entry);
        if (i >= 0) queue.splice(i, 1);
        if (queue.length === 0 && this.inFlight.get(key) === queue) this.inFlight.delete(key);
      })
      .catch(() => undefined);
    queue.push(entry);
  }

  /** Messages of this partition whose batches are still in the sinks. */
  messagesInFlightOn(topic: string, partition: number): number {
    return (this.inFlight.get(`${topic}|${partition}`) ?? []).reduce((sum, e) => sum + e.counts.consumed, 0);
  }

  /** Settles when the oldest batch in flight on this partition settles (at once when there is none). */
  async oldestSettled(topic: string, partition: number): Promise<void> {
    await this.inFlight.get(`${topic}|${partition}`)?.[0]?.link.catch(() => undefined);
  }

  /** Settles when every batch tracked so far has been stored or has failed. */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight.values()].flat().map((e) => e.link.catch(() => undefined)));
  }

  /** The batch that has waited longest for its sinks: how long, and for which sinks. */
  oldest(): { ageMs: number; waitingFor: string[] } | undefined {
    let oldest: InFlight | undefined;
    for (const queue of this.inFlight.values()) {
      for (const e of queue) if (e.waitingFor.size > 0 && (!oldest || e.startedAt < oldest.startedAt)) oldest = e;
    }
    return oldest ? { ageMs: this.now() - oldest.startedAt, waitingFor: [...oldest.waitingFor] } : undefined;
  }

  /** Messages whose batches are in the sinks now. */
  get messagesInFlight(): number {
    return [...this.inFlight.values()].flat().reduce((sum, e) => sum + e.counts.consumed, 0);
  }

  /** The first failure of a batch, if any: from then on nothing more becomes committable. */
  get failure(): Error | undefined {
    return this.firstFailure;
  }

  /** Calls `listener` on the first failure (at once if there already is one). */
  onFailure(listener: (err: Error) => void): void {
    if (this.firstFailure) listener(this.firstFailure);
    else this.failureListeners.push(listener);
  }

  /** Offsets stored since the last takeCommittable(), one per partition; empty after a failure. */
  takeCommittable(): CommittableOffset[] {
    if (this.firstFailure) return [];
    const offsets = [...this.moved].map((key) => this.stored.get(key)!);
    this.moved.clear();
    return offsets;
  }

  private advance(topic: string, partition: number, lastOffset: string): void {
    if (this.firstFailure) return;
    const key = `${topic}|${partition}`;
    const next = BigInt(lastOffset) + 1n;
    const current = this.stored.get(key);
    // A re-fetch after a rebalance can hand over a batch below one already stored; never move back.
    if (!current || next > BigInt(current.offset)) {
      this.stored.set(key, { topic, partition, offset: next.toString() });
      this.moved.add(key);
    }
  }

  private fail(err: Error): void {
    if (this.firstFailure) return;
    this.firstFailure = err;
    for (const listener of this.failureListeners.splice(0)) listener(err);
  }
}
