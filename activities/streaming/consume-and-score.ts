import { ApplicationFailure, Context } from '@temporalio/activity';
import { mongoNames, topics } from '../../common/names';
import { isMongoUnreachable } from '../../common/clients/mongo';
import { emptyConsumerStats, streamControlQuery, type ConsumerInput, type ConsumerStats, type StreamCounts } from '../../common/contracts/streaming';
import { startScoringPipeline } from './scoring-pipeline';
import { reportStats, runControlLoop, waitForModel } from './stream-control';
import type { StreamDeps } from './stream-deps';
import { StreamMetrics } from './stream-metrics';
import { outcomeCollections } from '../outcomes/outcome-join';

export type { StreamDeps };

let unservedMetrics: StreamMetrics | undefined;

/**
 * One consumer of the realtime stream (the workflow runs as many as it is scaled to, each on a worker
 * with room, all in one consumer group): consumes prediction requests in micro-batches (bounded by count and by
 * milliseconds), scores them with the champion and hands them to every sink; a batch's offsets are
 * committed only once every sink accepted it and the batches before it (CommitTracker), while the next
 * batches are already being fetched and scored. Runs until cancelled; heartbeats its counters; follows
 * pause/resume and model reloads asked of its workflow. Fails (and Temporal retries it from the last
 * committed offsets) when a sink fails, when a sink hangs past sinkTimeoutMs, or when the Kafka
 * consumer stops for good.
 */
export async function consumeAndScore(deps: StreamDeps, input: ConsumerInput): Promise<ConsumerStats> {
  const ctx = Context.current();
  const { log } = deps;
  const names = deps.names ?? { ...topics, resultsCollection: mongoNames.realtimeResults, outcomes: outcomeCollections() };
  const parent = ctx.info.workflowExecution;
  if (!parent) throw new Error('consumeAndScore runs only inside the streaming workflow');
  const workflow = deps.temporal.workflow.getHandle(parent.workflowId);
  // The counters go on from the previous attempt's last heartbeat; the rest is this attempt's own.
  const previous = ctx.info.heartbeatDetails as Partial<StreamCounts> | undefined;
  const stats: ConsumerStats = {
    ...emptyConsumerStats(ctx.info.activityId, input.slot),
    consumed: previous?.consumed ?? 0,
    scored: previous?.scored ?? 0,
    deadLettered: previous?.deadLettered ?? 0,
    batches: previous?.batches ?? 0,
    worker: deps.workerIdentity,
    activityAttempt: ctx.info.attempt,
  };

  const control = await workflow.query(streamControlQuery);
  const loaded = await waitForModel(deps, control, ctx);
  stats.modelVersion = loaded.version;
  // The retry of an attempt that failed for want of MongoDB should not meet a client stuck on the connection that closed.
  const renewIfUnreachable = async (err: unknown): Promise<void> => {
    if (!deps.renewMongo || !isMongoUnreachable(err)) return;
    await deps.renewMongo().then(
      () => log.info('renewed the MongoDB client'),
      (e: unknown) => log.warn('MongoDB is still away; the next attempt tries again', { error: (e as Error).message }),
    );
  };
  const metrics = deps.metrics ?? (unservedMetrics ??= StreamMetrics.unserved());
  const pipeline = await startScoringPipeline(deps, { names, model: loaded, stats, metrics }).catch(async (err: unknown) => {
    await renewIfUnreachable(err);
    throw err;
  });
  const unfollow = metrics.follow(stats);
  // At once, not after the first interval: the stats query (and the dashboard) show the model from the start.
  await reportStats(workflow, stats, log);

  let failure: Error | undefined;
  try {
    await runControlLoop({ ctx, workflow, pipeline, deps, stats }, { control, loaded });
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  } finally {
    await pipeline.stop({ drain: !failure });
    unfollow();
  }
  if (failure) {
    log.error('the stream stopped; Temporal retries the activity, which resumes from the last committed offsets', { error: failure.message });
    await renewIfUnreachable(failure);
    throw failure;
  }
  if (ctx.cancellationDetails?.workerShutdown) {
    // Not a completion: the workflow would count it as the stream ending. Retried on another worker.
    throw ApplicationFailure.retryable('the worker is shutting down; the stream resumes on the next worker from the last committed offsets', 'WorkerShutdown');
  }
  return stats;
}
