import type { Consumer, EachBatchPayload, Producer } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTopics } from '../../common/clients/kafka';
import type { FlightDelayModel } from '../../models/flight-delay-model';
import type { FlightLookups } from '../../models/features/lookups';
import type { ConsumerStats } from '../../common/contracts/streaming';
import { CommitTracker } from './commit-tracker';
import type { StreamDeps } from './stream-deps';
import { offsetCommitter } from './offset-committer';
import { predictionLog, requestIdOf } from './prediction-log';
import { scoreBatch, type ScoredBatch } from './score-batch';
import type { PredictionResult } from '../../common/prediction/result';
import { groupCommit } from './sinks/group-commit';
import { responseTopicSink, sendToDeadLetters } from './sinks/kafka-sinks';
import { ensureResultIndexes, mongoSink } from './sinks/mongo-sink';
import { outcomeSink } from './sinks/outcome-sink';
import { outcomeJoin } from '../outcomes/outcome-join';
import type { ResultSink } from './sinks/sink';
import type { StreamMetrics } from './stream-metrics';

export type StreamNames = NonNullable<StreamDeps['names']>;
export interface LoadedModel {
  version: string;
  model: FlightDelayModel;
}

/** The running pipeline, as the control loop drives it. */
export interface ScoringPipeline {
  /** Rejects when a sink fails or the Kafka consumer stops for good; never resolves. */
  readonly failed: Promise<never>;
  pause(): void;
  resume(): void;
  /** The model the batches from now on are scored with. */
  setModel(loaded: LoadedModel): void;
  /** The shadow challenger scored beside it from now on (filed, never answering), or none. */
  setShadow(loaded: LoadedModel | undefined): void;
  /** The request topic's partitions now. */
  topicPartitions(): Promise<number | null>;
  /** The batch that has waited longest for its sinks, if any. */
  oldestInFlight(): { ageMs: number; waitingFor: string[] } | undefined;
  readonly messagesInFlight: number;
  /** Stops reading and lets go of the consumer, the sinks and the producer; with `drain`, first stores and commits what is in the sinks. */
  stop(options: { drain: boolean }): Promise<void>;
}

/**
 * Messages of one partition scored and handed to the sinks while earlier ones are still being
 * written, in batches of batchMaxMessages: fetching and scoring overlap the writes, and a sink that
 * stalls for a moment does not stall the fetching. Bounds the results held in memory to this ×
 * partitions × batchMaxMessages.
 */
const inFlightBatchesPerPartition = 4;

/**
 * Kafka consumer → scoreBatch → every sink → CommitTracker → offset commits: a batch's offsets are
 * committed only once every sink accepted it and the batches before it, while the next batches are
 * already being fetched and scored. Counts into `stats` as batches are stored.
 */
export async function startScoringPipeline(
  deps: StreamDeps,
  { names, model, stats, metrics }: { names: StreamNames; model: LoadedModel; stats: ConsumerStats; metrics: StreamMetrics },
): Promise<ScoringPipeline> {
  const { log, settings } = deps;
  let loaded = model;
  let shadow: LoadedModel | undefined;
  let shadowWarned = false;
  // Kept for the pipeline's life: the request topic's partition count is read again with every stats report
  // (partitions can be added at run time, and they bound how many consumers the workflow runs).
  // What the start has opened, closed again (newest first) when a later step of it fails: a client left
  // connected would outlive the attempt, and keep the process from exiting when its worker stops.
  const opened: (() => Promise<unknown>)[] = [];
  const step = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      for (const close of opened.reverse()) await close().catch(() => undefined);
      throw err;
    }
  };
  const admin = deps.kafka.admin();
  opened.push(() => admin.disconnect());
  await step(() => admin.connect());
  const requestPartitions = async (): Promise<number | null> => (await admin.fetchTopicMetadata({ topics: [names.request] })).topics[0]?.partitions.length ?? null;
  await step(async () => {
    await ensureTopics(admin, [names.request, names.response, names.deadLetter], settings.topicPartitions);
    stats.topicPartitions = await requestPartitions();
  });
  await step(() => ensureResultIndexes(deps.db, names.resultsCollection));
  const distances = await step(() => deps.distances());
  // Not idempotent: kafkajs' idempotent producer allows one request in flight, which serialises the
  // sends of batches in flight side by side. The response topic is at-least-once anyway (a replay
  // after a crash sends again), and its messages are independent of one another, so order does not matter.
  const producer: Producer = deps.kafka.producer({ allowAutoTopicCreation: false });
  opened.push(() => producer.disconnect());
  await step(() => producer.connect());
  // Group commit: the batches in flight while a sink writes go out together in its next write.
  // The response topic first: each sink's accept starts with synchronous work (the MongoDB driver
  // serializes a whole insert before its first await), and the waiting client should not wait for it.
  // Each write (a group) is timed for the sink's latency histogram.
  const wrap = deps.wrapSink ?? (<R>(sink: ResultSink<R>) => sink);
  // Each sink is fed its rows of a scored batch: the results, or (the outcomes sink) the predictions filed under their flights.
  const feed = <R>(sink: ResultSink<R>, rows: (b: ScoredBatch) => readonly R[]): ResultSink<ScoredBatch> => {
    const s = groupCommit(metrics.timed(wrap(sink)), { maxRows: settings.batchMaxMessages });
    return { name: s.name, accept: async (batches) => { for (const b of batches) await s.accept(rows(b)); }, flush: () => s.flush(), close: () => s.close() };
  };
  const results = (b: ScoredBatch): readonly PredictionResult[] => b.results;
  const sinks: ResultSink<ScoredBatch>[] = [
    feed(responseTopicSink(producer, names.response), results),
    feed(mongoSink(deps.db, names.resultsCollection), results),
    feed(outcomeSink(outcomeJoin(deps.db, names.outcomes)), (b) => b.filed),
    ...(await step(() => deps.extraSinks(log))).map((sink) => feed(sink, results)),
  ];
  opened.push(() => Promise.all(sinks.map((s) => s.close())));
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
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    if (stopping) {
      log.warn('a consumer of an ended attempt joined the group; disconnecting it');
      void consumer.disconnect().catch(() => undefined);
      return;
    }
    // A rebalance: the partitions this consumer reads from now on (its lag is only theirs).
    stats.partitions = [...(payload.memberAssignment[names.request] ?? [])].sort((a, b) => a - b);
    for (const p of Object.keys(stats.lagByPartition)) if (!stats.partitions.includes(Number(p))) delete stats.lagByPartition[p];
    stats.consumerLag = Object.values(stats.lagByPartition).reduce((a, b) => a + b, 0);
    log.info('partitions assigned', { partitions: stats.partitions.join(',') });
  });
  opened.push(() => consumer.disconnect());
  await step(() => consumer.connect());
  await step(() => consumer.subscribe({ topic: names.request, fromBeginning: true }));

  const tracker = new CommitTracker((counts) => {
    metrics.stored(stats.slot, counts);
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
  const predictions = predictionLog(log);

  // Read on the first batch of a model that needs them (a worker serving the seed's model never holds them); a failed read is retried by the next batch.
  let lookups: Promise<FlightLookups> | undefined;
  const lookupsFor = async (model: FlightDelayModel): Promise<FlightLookups | undefined> => {
    if (!model.pipeline.usesLookups || !deps.lookups) return undefined;
    lookups ??= deps.lookups().catch((err: unknown) => {
      lookups = undefined;
      throw err;
    });
    return lookups;
  };

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
      const model = loaded;
      const modelLookups = await lookupsFor(model.model);
      const shadowModel = shadow && shadow.version !== model.version ? shadow : undefined;
      const shadowLookups = shadowModel ? await lookupsFor(shadowModel.model) : undefined;
      const scored = scoreBatch(
        chunk.map((m) => {
          const requestId = requestIdOf(m.headers);
          return { value: m.value, offset: m.offset, partition: batch.partition, ...(requestId !== undefined ? { requestId } : {}) };
        }),
        model.model,
        model.version,
        distances,
        () => new Date(),
        modelLookups,
        shadowModel ? { ...shadowModel, ...(shadowLookups ? { lookups: shadowLookups } : {}) } : undefined,
      );
      if (scored.shadowFailed !== undefined && !shadowWarned) {
        shadowWarned = true;
        log.warn('the shadow challenger cannot score; the champion answers as always', { version: shadowModel?.version, error: scored.shadowFailed });
      }
      const { results, rejects } = scored;
      predictions.scored(scored);
      metrics.scoredResults(results);
      const accepts = new Map<string, Promise<unknown>>(sinks.map((s) => [s.name, s.accept([scored]).then(() => predictions.accepted(s.name, scored))]));
      const deadLetters = () => sendToDeadLetters(producer, rejects, batch.topic, names.deadLetter);
      accepts.set('dead-letter topic', rejects.length > 0 ? metrics.time('kafka-dead-letter', deadLetters) : deadLetters());
      const last = chunk[chunk.length - 1]!;
      tracker.track(batch.topic, batch.partition, last.offset, { consumed: chunk.length, scored: results.length, deadLettered: rejects.length }, accepts);
      // Read on from here; the commit waits for the sinks (the tracker says when).
      payload.resolveOffset(last.offset);
      stats.lagByPartition[batch.partition] = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n));
      stats.consumerLag = Object.values(stats.lagByPartition).reduce((a, b) => a + b, 0);
      await payload.heartbeat();
    }
  };
  await step(() => consumer.run({
    // Offsets are committed by the committer below, only up to what every sink accepted.
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Partitions are scored side by side: one partition's slow sink write does not hold up the others.
    partitionsConsumedConcurrently: settings.topicPartitions,
    eachBatch: handleBatch,
  }));
  const commitTimer = setInterval(() => void committer.commit(), Math.max(settings.commitIntervalMs, 100));

  // Stop reading, let the batches in the sinks finish, commit what they stored, then let go.
  // Every step runs whatever the one before did: an exception here would leave the sinks open, and the
  // HDFS sink's spool folder locked against every later attempt of the activity in this process.
  const stop = async ({ drain }: { drain: boolean }): Promise<void> => {
    stopping = true;
    clearInterval(commitTimer);
    try {
      consumer.pause([{ topic: names.request }]);
    } catch {
      // A consumer that crashed for good has no group left to pause (kafkajs throws): nothing to stop.
    }
    if (drain) {
      // An unref'd timer: once the sinks are done it must not keep the process alive for sinkTimeoutMs.
      await Promise.race([tracker.drain(), new Promise((r) => setTimeout(r, settings.sinkTimeoutMs).unref())]);
      await committer.commit();
    }
    await consumer.disconnect().catch(() => undefined);
    await Promise.all(sinks.map((s) => s.close().catch((err: unknown) => log.warn(`sink ${s.name} did not close cleanly`, { error: String(err) }))));
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  };

  return {
    failed,
    pause: () => consumer.pause([{ topic: names.request }]),
    resume: () => consumer.resume([{ topic: names.request }]),
    setModel: (next) => {
      loaded = next;
    },
    setShadow: (next) => {
      shadow = next;
      shadowWarned = false;
    },
    oldestInFlight: () => tracker.oldest(),
    topicPartitions: requestPartitions,
    get messagesInFlight() {
      return tracker.messagesInFlight;
    },
    stop,
  };
}
