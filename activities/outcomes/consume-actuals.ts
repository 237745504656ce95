import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Db } from 'mongodb';
import { ensureTopics } from '../../common/clients/kafka';
import { emptyActualsJoinStats, type ActualsJoinCounts, type ActualsJoinInput, type ActualsJoinStats } from '../../common/contracts/actuals-join';
import type { Logger } from '../../common/logger';
import { topics } from '../../common/names';
import { parseActual, type FlightActual } from '../../common/outcomes/actual';
import { sendToDeadLetters, type Rejected } from '../streaming/sinks/kafka-sinks';
import { outcomeCollections, outcomeJoin, type OutcomeCollections } from './outcome-join';

/** What the actuals' consumer is made of. */
export interface OutcomeDeps {
  kafka: Kafka;
  /** Read at the start of each attempt (a worker may renew its client). */
  db: Db;
  log: Logger;
  workerIdentity: string;
  settings: { consumerGroup: string; topicPartitions: number };
  /** Default: common/names.ts. Tests give their own. */
  names?: { actuals?: string; deadLetter?: string; collections?: Partial<OutcomeCollections> };
}

/** Actuals joined in one go (a Kafka batch is cut into these). */
const joinStep = 1_000;
const heartbeatMs = 2_000;

/**
 * Consumes topic `flight-delay-actuals` until cancelled: each batch's malformed messages go to the
 * dead-letter topic with their reason, the rest are stored and joined (outcome-join.ts), and only then
 * are the batch's offsets committed — a crash replays the batch, which the join takes as often as it
 * comes. Heartbeats its counters; they go on from the previous attempt's.
 */
export async function consumeActuals(deps: OutcomeDeps, _input: ActualsJoinInput): Promise<ActualsJoinStats> {
  const ctx = Context.current();
  const { log } = deps;
  const topic = deps.names?.actuals ?? topics.actuals;
  const deadLetter = deps.names?.deadLetter ?? topics.actualsDeadLetter;
  const join = outcomeJoin(deps.db, outcomeCollections(deps.names?.collections));
  const previous = ctx.info.heartbeatDetails as Partial<ActualsJoinCounts> | undefined;
  const stats: ActualsJoinStats = { ...emptyActualsJoinStats(), ...pickCounts(previous), worker: deps.workerIdentity };

  const admin = deps.kafka.admin();
  const producer: Producer = deps.kafka.producer({ allowAutoTopicCreation: false });
  let stopping = false;
  const consumer: Consumer = deps.kafka.consumer({ groupId: deps.settings.consumerGroup, retry: { restartOnFailure: () => Promise.resolve(!stopping) } });
  const heartbeat = setInterval(() => ctx.heartbeat(stats), heartbeatMs);
  let failure: Error | undefined;
  try {
    await admin.connect();
    await ensureTopics(admin, [topic, deadLetter], deps.settings.topicPartitions);
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const failed = new Promise<never>((_, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(new Error(`the Kafka consumer stopped: ${payload.error.message}`, { cause: payload.error }));
      });
    });
    const handleBatch = async (payload: EachBatchPayload): Promise<void> => {
      const { batch } = payload;
      for (let start = 0; start < batch.messages.length; start += joinStep) {
        if (stopping || !payload.isRunning() || payload.isStale()) return;
        const step = batch.messages.slice(start, start + joinStep);
        const good: FlightActual[] = [];
        const bad: Rejected[] = [];
        for (const m of step) {
          const parsed = parseActual(m.value);
          if (parsed.ok) good.push(parsed.actual);
          else bad.push({ original: m.value?.toString('utf8') ?? null, reason: parsed.reason, ...(parsed.field ? { field: parsed.field } : {}), partition: batch.partition, offset: m.offset });
        }
        await sendToDeadLetters(producer, bad, topic, deadLetter);
        const joined = await join.recordActuals(good);
        const last = step[step.length - 1]!;
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        payload.resolveOffset(last.offset);
        stats.consumed += step.length;
        stats.stored += joined.stored;
        stats.repeated += joined.repeated;
        stats.joined += joined.joined;
        stats.deadLettered += bad.length;
        stats.batches += 1;
        stats.lastBatchAt = new Date().toISOString();
        if (bad.length > 0) log.warn('actuals sent to the dead-letter topic', { count: bad.length, first: bad[0]!.reason, topic: deadLetter });
        await payload.heartbeat();
      }
    };
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: handleBatch });
    log.info('joining actuals', { topic, group: deps.settings.consumerGroup });
    await Promise.race([ctx.cancelled, failed]);
  } catch (err) {
    if (!ctx.cancellationSignal.aborted) failure = err instanceof Error ? err : new Error(String(err));
  } finally {
    stopping = true;
    clearInterval(heartbeat);
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  if (failure) {
    log.error('the actuals consumer stopped; Temporal retries it from the committed offsets', { error: failure.message });
    throw failure;
  }
  if (ctx.cancellationDetails?.workerShutdown) {
    throw ApplicationFailure.retryable('the worker is shutting down; the actuals join resumes on the next worker from the committed offsets', 'WorkerShutdown');
  }
  return stats;
}

function pickCounts(p: Partial<ActualsJoinCounts> | undefined): Partial<ActualsJoinCounts> {
  if (!p) return {};
  const { consumed, stored, repeated, joined, deadLettered, batches } = p;
  return Object.fromEntries(Object.entries({ consumed, stored, repeated, joined, deadLettered, batches }).filter(([, v]) => typeof v === 'number'));
}
