import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Logger } from '../../common/logger';
import { mongoNames, topics } from '../../common/names';
import type { FlightDelayModel } from '../../models/flight-delay-model';
import type { ModelStore } from '../../models/model-store';
import type { DistanceResolver } from './distance-resolver';
import { scoreBatch } from './score-batch';
import { mongoSink, ensureResultIndexes } from './sinks/mongo-sink';
import { responseTopicSink, sendToDeadLetters } from './sinks/kafka-sinks';
import type { ResultSink } from './sinks/sink';
import { emptyStats, streamControlQuery, streamStatsSignal, type StreamControl, type StreamStats } from '../../workflows/stream-messages';
import { ensureTopics } from '../../common/clients/kafka';

export interface StreamDeps {
  kafka: Kafka;
  db: Db;
  temporal: Client;
  modelStore: ModelStore;
  /** The distance lookup, built at the start of each run of the activity. */
  distances: () => Promise<DistanceResolver>;
  /** Sinks beyond MongoDB and the response topic (HDFS Parquet, the text file). */
  extraSinks: () => Promise<ResultSink[]>;
  settings: { consumerGroup: string; batchMaxMessages: number; batchMaxWaitMs: number; topicPartitions: number };
  /** Default: the names of common/names.ts. Tests give their own. */
  names?: { request: string; response: string; deadLetter: string; resultsCollection: string };
  log: Logger;
}

const controlPollMs = 1000;
const statsEveryMs = 5000;

/**
 * The realtime scorer: consumes prediction requests in micro-batches (bounded by count and by
 * milliseconds), scores them with the champion, writes every sink, and only then commits the batch's
 * offsets. Runs until cancelled; heartbeats its counters; follows pause/resume and model reloads
 * asked of its workflow.
 */
export async function consumeAndScore(deps: StreamDeps): Promise<StreamStats> {
  const ctx = Context.current();
  const { log, settings } = deps;
  const names = deps.names ?? { ...topics, resultsCollection: mongoNames.realtimeResults };
  const parent = ctx.info.workflowExecution;
  if (!parent) throw new Error('consumeAndScore runs only inside the streaming workflow');
  const workflow = deps.temporal.workflow.getHandle(parent.workflowId);
  const stats: StreamStats = { ...emptyStats(), ...(ctx.info.heartbeatDetails as Partial<StreamStats> | undefined) };
  const lagByPartition = new Map<number, number>();

  let control: StreamControl = await workflow.query(streamControlQuery);
  let loaded = await waitForModel(deps, control, ctx);
  let loadedGeneration = control.reloadGeneration;
  stats.modelVersion = loaded.version;

  const admin = deps.kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [names.request, names.response, names.deadLetter], settings.topicPartitions);
  } finally {
    await admin.disconnect();
  }
  await ensureResultIndexes(deps.db, names.resultsCollection);
  const distances = await deps.distances();
  const producer: Producer = deps.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const sinks: ResultSink[] = [mongoSink(deps.db, names.resultsCollection), responseTopicSink(producer, names.response), ...(await deps.extraSinks())];
  const consumer: Consumer = deps.kafka.consumer({ groupId: settings.consumerGroup, maxWaitTimeInMs: settings.batchMaxWaitMs, minBytes: 1 });
  await consumer.connect();
  await consumer.subscribe({ topic: names.request, fromBeginning: true });

  const handleBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    for (let start = 0; start < batch.messages.length && payload.isRunning() && !payload.isStale(); start += settings.batchMaxMessages) {
      const chunk = batch.messages.slice(start, start + settings.batchMaxMessages);
      const { results, rejects } = scoreBatch(
        chunk.map((m) => ({ value: m.value, offset: m.offset, partition: batch.partition })),
        loaded.model,
        loaded.version,
        distances,
        () => new Date(),
      );
      await Promise.all([...sinks.map((s) => s.accept(results)), sendToDeadLetters(producer, rejects, batch.topic, names.deadLetter)]);
      const last = chunk[chunk.length - 1]!;
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      stats.consumed += chunk.length;
      stats.scored += results.length;
      stats.deadLettered += rejects.length;
      stats.batches += 1;
      stats.lastBatchAt = new Date().toISOString();
      lagByPartition.set(batch.partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n)));
      stats.consumerLag = [...lagByPartition.values()].reduce((a, b) => a + b, 0);
      await payload.heartbeat();
    }
  };
  await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, partitionsConsumedConcurrently: 1, eachBatch: handleBatch });

  // The control loop: heartbeats, follows the workflow's wishes, reports counters, stops on cancellation.
  let lastReport = { at: Date.now(), scored: stats.scored };
  let paused = false;
  try {
    while (!ctx.cancellationSignal.aborted) {
      await Promise.race([sleep(controlPollMs), ctx.cancelled.catch(() => undefined)]);
      if (ctx.cancellationSignal.aborted) break;
      ctx.heartbeat(stats);
      control = await workflow.query(streamControlQuery).catch(() => control);
      if (control.paused !== paused) {
        paused = control.paused;
        if (paused) consumer.pause([{ topic: names.request }]);
        else consumer.resume([{ topic: names.request }]);
        log.info(paused ? 'paused' : 'resumed');
      }
      if (control.reloadGeneration !== loadedGeneration) {
        loadedGeneration = control.reloadGeneration;
        try {
          loaded = loadModel(deps.modelStore, control);
          stats.modelVersion = loaded.version;
          log.info('model reloaded', { version: loaded.version });
        } catch (err) {
          log.error('model reload failed; still scoring with the previous model', { version: loaded.version, error: (err as Error).message });
        }
      }
      if (Date.now() - lastReport.at >= statsEveryMs) {
        const now = Date.now();
        stats.throughputPerSecond = ((stats.scored - lastReport.scored) * 1000) / (now - lastReport.at);
        lastReport = { at: now, scored: stats.scored };
        await workflow.signal(streamStatsSignal, { ...stats }).catch((err: unknown) => log.warn('could not report stats', { error: String(err) }));
      }
    }
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await Promise.all(sinks.map((s) => s.close().catch((err: unknown) => log.warn(`sink ${s.name} did not close cleanly`, { error: String(err) }))));
    await producer.disconnect().catch(() => undefined);
  }
  return stats;
}

function loadModel(store: ModelStore, control: StreamControl): { version: string; model: FlightDelayModel } {
  const version = control.modelVersion ?? store.champion()?.version;
  if (!version) throw new Error(`no champion in the model store ${store.dir}: train one (npm run train)`);
  return { version, model: store.load(version) };
}

/** Loads the model the workflow wants, waiting (and heartbeating) while there is no champion yet. */
async function waitForModel(deps: StreamDeps, control: StreamControl, ctx: Context): Promise<{ version: string; model: FlightDelayModel }> {
  let warned = false;
  for (;;) {
    try {
      return loadModel(deps.modelStore, control);
    } catch (err) {
      if (!warned) deps.log.warn(`${(err as Error).message}; waiting for one`);
      warned = true;
      ctx.heartbeat({ waitingForModel: true });
      await Promise.race([sleep(2000), ctx.cancelled]);
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
