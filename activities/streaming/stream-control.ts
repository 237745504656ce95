import type { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../common/logger';
import type { ModelRegistry } from '../../common/model-registry';
import { streamControlQuery, streamStatsSignal, type ConsumerStats, type StreamControl } from '../../common/contracts/streaming';
import type { StreamDeps } from './stream-deps';
import type { LoadedModel, ScoringPipeline } from './scoring-pipeline';

const controlPollMs = 1000;
const statsEveryMs = 5000;

/** Loads the model the workflow wants, waiting (and heartbeating) while there is no champion yet. */
export async function waitForModel(
  deps: { models: ModelRegistry; log: { warn(message: string): void } },
  control: StreamControl,
  ctx: Context,
): Promise<LoadedModel> {
  let warned = false;
  for (;;) {
    try {
      return await deps.models.loadWanted(control);
    } catch (err) {
      if (!warned) deps.log.warn(`${(err as Error).message}; waiting for one`);
      warned = true;
      ctx.heartbeat({ waitingForModel: true });
      await Promise.race([sleep(2000), ctx.cancelled]);
    }
  }
}

/** Sends the counters to the workflow (its stats query and the dashboard); a failed send is only logged. */
export async function reportStats(workflow: WorkflowHandle, stats: ConsumerStats, log: Logger): Promise<void> {
  stats.reportedAt = new Date().toISOString();
  await workflow.signal(streamStatsSignal, { ...stats, partitions: [...stats.partitions], lagByPartition: { ...stats.lagByPartition } }).catch((err: unknown) => log.warn('could not report stats', { error: String(err) }));
}

export interface ControlLoopParts {
  ctx: Context;
  workflow: WorkflowHandle;
  pipeline: ScoringPipeline;
  deps: Pick<StreamDeps, 'models' | 'log' | 'settings'>;
  stats: ConsumerStats;
}

/**
 * The control loop: heartbeats, follows the workflow's wishes (pause/resume, model reloads), reports
 * counters. Returns on cancellation; throws when the pipeline fails or a sink hangs past sinkTimeoutMs.
 */
export async function runControlLoop(
  { ctx, workflow, pipeline, deps, stats }: ControlLoopParts,
  started: { control: StreamControl; loaded: LoadedModel },
): Promise<void> {
  const { log, settings } = deps;
  let { control, loaded } = started;
  let loadedGeneration = control.reloadGeneration;
  let lastReport = { at: Date.now(), scored: stats.scored };
  let lastWatch = Date.now();
  // The shadow challenger (MLflow's challenger alias) is looked up at the first turn, then every championWatchMs.
  let lastShadowWatch = 0;
  let shadowVersion: string | undefined;
  let paused = false;
  while (!ctx.cancellationSignal.aborted) {
    await Promise.race([sleep(controlPollMs), ctx.cancelled.catch(() => undefined), pipeline.failed]);
    if (ctx.cancellationSignal.aborted) break;
    const stuck = pipeline.oldestInFlight();
    if (stuck && stuck.ageMs > settings.sinkTimeoutMs) {
      throw new Error(
        `sink(s) ${stuck.waitingFor.join(', ')} have not accepted a batch for ${Math.round(stuck.ageMs / 1000)} s ` +
          `(STREAM_SINK_TIMEOUT_MS=${settings.sinkTimeoutMs}); stopping so that the activity is retried from the last committed offset`,
      );
    }
    stats.inFlight = pipeline.messagesInFlight;
    ctx.heartbeat(stats);
    control = await workflow.query(streamControlQuery).catch(() => control);
    if (control.paused !== paused) {
      paused = control.paused;
      if (paused) pipeline.pause();
      else pipeline.resume();
      log.info(paused ? 'paused' : 'resumed');
    }
    // The champion alias may move without a reload signal (promoted in MLflow's UI): follow it.
    let championMoved = false;
    if (control.modelVersion === null && Date.now() - lastWatch >= settings.championWatchMs) {
      lastWatch = Date.now();
      const champion = await deps.models.championVersion().catch(() => undefined);
      championMoved = champion !== undefined && champion !== loaded.version;
    }
    if (control.reloadGeneration !== loadedGeneration || championMoved) {
      loadedGeneration = control.reloadGeneration;
      try {
        loaded = await deps.models.loadWanted(control);
        pipeline.setModel(loaded);
        stats.modelVersion = loaded.version;
        log.info('model reloaded', { version: loaded.version });
      } catch (err) {
        log.error('model reload failed; still scoring with the previous model', { version: loaded.version, error: (err as Error).message });
      }
    }
    if (Date.now() - lastShadowWatch >= settings.championWatchMs) {
      lastShadowWatch = Date.now();
      const wanted = await deps.models.challengerVersion();
      if (wanted !== shadowVersion) {
        try {
          pipeline.setShadow(wanted === undefined ? undefined : await deps.models.load(wanted));
          shadowVersion = wanted;
          log.info(wanted === undefined ? 'no shadow challenger' : 'scoring a shadow challenger beside the champion', { version: wanted ?? 'none' });
        } catch (err) {
          log.error('cannot load the shadow challenger; the champion answers as always', { version: wanted, error: (err as Error).message });
        }
      }
    }
    if (Date.now() - lastReport.at >= statsEveryMs) {
      const now = Date.now();
      stats.throughputPerSecond = ((stats.scored - lastReport.scored) * 1000) / (now - lastReport.at);
      lastReport = { at: now, scored: stats.scored };
      stats.topicPartitions = await pipeline.topicPartitions().catch(() => stats.topicPartitions);
      await reportStats(workflow, stats, log);
    }
  }
}
