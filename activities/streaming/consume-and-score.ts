import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Logger } from '../../common/logger';
import { mongoNames, topics } from '../../common/names';
import type { ModelStore } from '../../models/model-store';
import type { DistanceResolver } from '../../common/prediction/distance';
import { CommitTracker } from './commit-tracker';
import { offsetCommitter } from './offset-committer';
import { waitForModel } from './stream-model';
import { scoreBatch } from './score-batch';
import { mongoSink, ensureResultIndexes } from './sinks/mongo-sink';
import { responseTopicSink, sendToDeadLetters } from './sinks/kafka-sinks';
import { groupCommit } from './sinks/group-commit';
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
  settings: {
    consumerGroup: string;
    batchMaxMessages: number;
    batchMaxWaitMs: number;
    /**
     * Offsets of batches every sink accepted are committed at most this often (0: after every batch).
     * A crash replays what was accepted since the last commit: MongoDB keeps one document per UUID,
     * the other sinks are at-least-once.
     */
    commitIntervalMs: number;
    /** A batch some sink has not accepted after this long fails the activity (a hung sink), which Temporal then retries. */
    sinkTimeoutMs: number;
    topicPartitions: number;
  };
  /** Default: the names of common/names.ts. Tests give their own. */
  names?: { request: string; response: string; deadLetter: string; resultsCollection: string };
  log: Logger;
}

const controlPollMs = 1000;
/**
 * Messages of one partition scored and handed to the sinks while earlier ones are still being
 * written, in batches of batchMaxMessages: fetching and scoring overlap the writes, and a sink that
 * stalls for a moment does not stall the fetching. Bounds the results held in memory to this ×
 * partitions × batchMaxMessages.
 */
const inFlightBatchesPerPartition = 4;
const statsEveryMs = 5000;

/**
 * The realtime scorer: consumes prediction requests in micro-batches (bounded by count and by
 * milliseconds), scores them with the champion and hands them to every sink; a batch's offsets are
 * committed only once every sink accepted it and the batches before it (CommitTracker), while the next
 * batches are already being fetched and scored. Runs until cancelled; heartbeats its counters; follows
 * pause/resume and model reloads asked of its workflow. Fails (and Temporal retries it from the last
 * committed offsets) when a sink fails, when a sink hangs past sinkTimeoutMs, or when the Kafka
 * consumer stops for good.
 */
export async function consumeAndScore(deps: StreamDeps): Promise<StreamStats> {
  const ctx = Context.current();
  const { log, settings } = deps;
  const names = deps.names ?? { ...topics, resultsCollection: mongoNames.realtimeResults };
  const parent = ctx.info.workflowExecution;
  if (!parent) throw new Error('consumeAndScore runs only inside the streaming workflow');
  const workflow = deps.temporal.workflow.getHandle(parent.workflowId);
  const stats: StreamStats = { ...emptyStats(), ...(ctx.info.heartbeatDetails as Partial<StreamStats> | undefined), activityAttempt: ctx.info.attempt };
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
  // Not idempotent: kafkajs' idempotent producer allows one request in flight, which serialises the
  // sends of batches in flight side by side. The response topic is at-least-once anyway (a replay
  // after a crash sends again), and its messages are independent of one another, so order does not matter.
  const producer: Producer = deps.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  // Group commit: the batches in flight while a sink writes go out together in its next write.
  const sinks: ResultSink[] = [mongoSink(deps.db, names.resultsCollection), responseTopicSink(producer, names.response), ...(await deps.extraSinks())].map(
    (sink) => groupCommit(sink, { maxRows: settings.batchMaxMessages }),
  );
  let stopping = false;
  const consumer: Consumer = deps.kafka.consumer({
    groupId: settings.consumerGroup,
    maxWaitTimeInMs: settings.batchMaxWaitMs,
    minBytes: 1,
    // kafkajs restarts a crashed consumer on its own; not once this attempt is over.
    retry: { restartOnFailure: () => Promise.resolve(!stopping) },
  });
  // A restart kafkajs began before this attempt ended can still join the group afterwards, holding
  // partitions that nobody reads (kafkajs' disconnect does not cancel a join in progress): leave again.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (stopping) {
      log.warn('a consumer of an ended attempt joined the group; disconnecting it');
      void consumer.disconnect().catch(() => undefined);
    }
  });
  await consumer.connect();
  await consumer.subscribe({ topic: names.request, fromBeginning: true });

  const tracker = new CommitTracker((counts) => {
    stats.consumed += counts.consumed;
    stats.scored += counts.scored;
    stats.deadLettered += counts.deadLettered;
    stats.batches += 1;
    stats.lastBatchAt = new Date().toISOString();
    if (settings.commitIntervalMs === 0) void committer.commit();
  });
  const failed = new Promise<never>((_, reject) => {
    tracker.onFailure(reject);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts the consumer itself after a retriable error; anything else ends it for good.
      if (!payload.restart) reject(new Error(`the Kafka consumer stopped: ${payload.error.message}`, { cause: payload.error }));
    });
  });
  failed.catch(() => undefined);
  const committer = offsetCommitter(consumer, tracker, log);

  const handleBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    for (let start = 0; start < batch.messages.length; start += settings.batchMaxMessages) {
      // Room in the pipeline: at most inFlightBatchesPerPartition × batchMaxMessages of this partition in the sinks.
      const chunkSize = Math.min(settings.batchMaxMessages, batch.messages.length - start);
      const room = inFlightBatchesPerPartition * settings.batchMaxMessages;
      while (tracker.messagesInFlightOn(batch.topic, batch.partition) + chunkSize > room && !tracker.failure) {
        await Promise.race([tracker.oldestSettled(batch.topic, batch.partition), sleep(1000)]);
        await payload.heartbeat();
      }
      if (stopping || tracker.failure || !payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + settings.batchMaxMessages);
      const { results, rejects } = scoreBatch(
        chunk.map((m) => ({ value: m.value, offset: m.offset, partition: batch.partition })),
        loaded.model,
        loaded.version,
        distances,
        () => new Date(),
      );
      const accepts = new Map<string, Promise<unknown>>(sinks.map((s) => [s.name, s.accept(results)]));
      accepts.set('dead-letter topic', sendToDeadLetters(producer, rejects, batch.topic, names.deadLetter));
      const last = chunk[chunk.length - 1]!;
      tracker.track(batch.topic, batch.partition, last.offset, { consumed: chunk.length, scored: results.length, deadLettered: rejects.length }, accepts);
      // Read on from here; the commit waits for the sinks (the tracker says when).
      payload.resolveOffset(last.offset);
      lagByPartition.set(batch.partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n)));
      stats.consumerLag = [...lagByPartition.values()].reduce((a, b) => a + b, 0);
      await payload.heartbeat();
    }
  };
  await consumer.run({
    // Offsets are committed by the committer below, only up to what every sink accepted.
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Partitions are scored side by side: one partition's slow sink write does not hold up the others.
    partitionsConsumedConcurrently: settings.topicPartitions,
    eachBatch: handleBatch,
  });
  const commitTimer = setInterval(() => void committer.commit(), Math.max(settings.commitIntervalMs, 100));
  // At once, not after the first interval: the stats query (and the dashboard) show the model from the start.
  await workflow.signal(streamStatsSignal, { ...stats }).catch((err: unknown) => log.warn('could not report stats', { error: String(err) }));

  // The control loop: heartbeats, follows the workflow's wishes, reports counters, stops on cancellation or failure.
  let lastReport = { at: Date.now(), scored: stats.scored };
  let paused = false;
  let failure: Error | undefined;
  try {
    while (!ctx.cancellationSignal.aborted) {
      await Promise.race([sleep(controlPollMs), ctx.cancelled.catch(() => undefined), failed]);
      if (ctx.cancellationSignal.aborted) break;
      const stuck = tracker.oldest();
      if (stuck && stuck.ageMs > settings.sinkTimeoutMs) {
        throw new Error(
          `sink(s) ${stuck.waitingFor.join(', ')} have not accepted a batch for ${Math.round(stuck.ageMs / 1000)} s ` +
            `(STREAM_SINK_TIMEOUT_MS=${settings.sinkTimeoutMs}); stopping so that the activity is retried from the last committed offset`,
        );
      }
      stats.inFlight = tracker.messagesInFlight;
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
          loaded = deps.modelStore.loadWanted(control);
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
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  } finally {
    // Stop reading, let the batches in the sinks finish, commit what they stored, then let go.
    // Every step runs whatever the one before did: an exception here would leave the sinks open, and the
    // HDFS sink's spool folder locked against every later attempt of the activity in this process.
    stopping = true;
    clearInterval(commitTimer);
    try {
      consumer.pause([{ topic: names.request }]);
    } catch {
      // A consumer that crashed for good has no group left to pause (kafkajs throws): nothing to stop.
    }
    if (!failure) {
      // An unref'd timer: once the sinks are done it must not keep the process alive for sinkTimeoutMs.
      await Promise.race([tracker.drain(), new Promise((r) => setTimeout(r, settings.sinkTimeoutMs).unref())]);
      await committer.commit();
    }
    await consumer.disconnect().catch(() => undefined);
    await Promise.all(sinks.map((s) => s.close().catch((err: unknown) => log.warn(`sink ${s.name} did not close cleanly`, { error: String(err) }))));
    await producer.disconnect().catch(() => undefined);
  }
  if (failure) {
    log.error('the stream stopped; Temporal retries the activity, which resumes from the last committed offsets', { error: failure.message });
    throw failure;
  }
  if (ctx.cancellationDetails?.workerShutdown) {
    // Not a completion: the workflow would count it as the stream ending. Retried on another worker.
    throw ApplicationFailure.retryable('the worker is shutting down; the stream resumes on the next worker from the last committed offsets', 'WorkerShutdown');
  }
  return stats;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
