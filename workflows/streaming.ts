import {
  CancellationScope,
  condition,
  makeContinueAsNewFunc,
  isCancellation,
  log,
  proxyActivities,
  sleep,
  setHandler,
  workflowInfo,
  allHandlersFinished,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { StreamingActivities } from '../activities/streaming';
import {
  addCounts,
  emptyConsumerStats,
  emptyCounts,
  pauseSignal,
  reloadModelSignal,
  resumeSignal,
  scaleSignal,
  streamControlQuery,
  streamStatsQuery,
  streamStatsSignal,
  streamTotals,
  type ConsumerStats,
  type StreamControl,
  type StreamCounts,
  type StreamingWorkflow,
  type StreamScale,
  type StreamState,
} from '../common/contracts/streaming';

/**
 * Each consumer is restarted whenever it fails (a crashed worker shows as a missed heartbeat), for as
 * long as the deployment lives: the retry policy has no attempt limit. An attempt waits in the task
 * queue until a worker has room (each scoring worker runs one consumer at a time).
 */
const consumerOptions: ActivityOptions = {
  startToCloseTimeout: '30 days',
  heartbeatTimeout: '30 seconds',
  // No maximumAttempts: unlimited (the SDK rejects 0).
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * The realtime prediction stream: keeps `consumers` long-running consume-and-score activities alive —
 * Kafka consumers of one group, each on whichever scoring worker has room, so Kafka spreads the request
 * topic's partitions over the workers — passes them pause/resume and model reloads, follows the `scale`
 * signal, adds up their counters for the stats query, and continues as new before its history grows
 * large. Started once per deployment with a fixed workflow id (workflowIds.streaming).
 */
export const streamFlightDelayPredictions: StreamingWorkflow = async (state?: StreamState): Promise<void> => {
  const control: StreamControl = state?.control ?? { paused: false, modelVersion: null, reloadGeneration: 0 };
  let requested = wholeAtLeastOne(state?.consumers) ?? 1;
  let retired: StreamCounts = state?.retired ?? emptyCounts();
  let restarts = state?.restarts ?? 0;
  let scaleNote: string | null = null;
  /** The request topic's partitions, as the consumers last reported them (kept while they restart). */
  let knownPartitions: number | null = state?.topicPartitions ?? null;
  /** The consumer activity of each running slot, by activity id. */
  const live = new Map<string, ConsumerStats>();
  const slots = new Map<number, { scope: CancellationScope; done: Promise<void> }>();
  let activitiesScheduled = 0;

  const topicPartitions = (): number | null => knownPartitions;
  const target = (): number => Math.min(requested, topicPartitions() ?? requested);
  const scale = (): StreamScale => {
    const partitions = topicPartitions();
    const note =
      scaleNote ??
      (partitions !== null && requested > partitions
        ? `${requested} consumers asked for, but the request topic has ${partitions} partitions: ${partitions} run (add partitions to run more; see the README)`
        : null);
    // Heard from within two reporting intervals and a bit: a consumer on a worker that died stops counting.
    const recent = (c: ConsumerStats): boolean => c.reportedAt !== null && Date.now() - Date.parse(c.reportedAt) < 15_000;
    return { requested, scheduled: slots.size, running: [...live.values()].filter(recent).length, topicPartitions: partitions, note };
  };

  setHandler(streamControlQuery, () => control);
  setHandler(streamStatsSignal, (report) => {
    // A consumer that has ended (scaled away, or replaced after continue-as-new) may report once more: its counts are retired already.
    if (live.has(report.activityId)) live.set(report.activityId, report);
    if (report.topicPartitions !== null) knownPartitions = report.topicPartitions;
  });
  setHandler(streamStatsQuery, () => {
    const consumers = [...live.values()].sort((a, b) => a.slot - b.slot);
    return { ...streamTotals(retired, consumers), paused: control.paused, restarts, scale: scale(), consumers };
  });
  setHandler(pauseSignal, () => {
    control.paused = true;
  });
  setHandler(resumeSignal, () => {
    control.paused = false;
  });
  setHandler(reloadModelSignal, ({ version }) => {
    // The training workflow promotes the champion before it signals: follow the champion.
    log.info('reloading the model', { version });
    control.modelVersion = null;
    control.reloadGeneration += 1;
  });
  setHandler(scaleSignal, ({ consumers }) => {
    const n = wholeAtLeastOne(consumers);
    if (n === undefined) {
      scaleNote = `scale ${JSON.stringify(consumers)} ignored: consumers must be a whole number of at least 1`;
      log.warn(scaleNote);
      return;
    }
    scaleNote = null;
    log.info('scaling the stream', { from: requested, to: n });
    requested = n;
  });

  const retire = (activityId: string): void => {
    const stats = live.get(activityId);
    if (stats) retired = addCounts(retired, stats);
    live.delete(activityId);
  };

  /** One consumer slot: its activity, started again 5 s after it ends, until the slot is cancelled. */
  const runSlot = async (slot: number): Promise<void> => {
    for (;;) {
      activitiesScheduled += 1;
      const activityId = `consumer-${slot}.${activitiesScheduled}`;
      live.set(activityId, emptyConsumerStats(activityId, slot));
      const { consumeAndScore } = proxyActivities<StreamingActivities>({ ...consumerOptions, activityId });
      let failure: unknown;
      try {
        await consumeAndScore({ slot });
      } catch (err) {
        if (isCancellation(err)) {
          retire(activityId);
          throw err;
        }
        failure = err;
      }
      retire(activityId);
      restarts += 1;
      log.warn('a consumer activity ended; starting it again in 5 s', { slot, error: failure instanceof Error ? failure.message : 'completed' });
      // Never a tight loop, whatever makes the activity end at once.
      await sleep('5 seconds');
    }
  };
  const startSlot = (slot: number): void => {
    const scope = new CancellationScope();
    const done = scope.run(() => runSlot(slot)).catch((err: unknown) => {
      if (!isCancellation(err)) throw err;
    });
    slots.set(slot, { scope, done });
  };
  const stopSlot = (slot: number): Promise<void> => {
    const running = slots.get(slot);
    slots.delete(slot);
    if (!running) return Promise.resolve();
    running.scope.cancel();
    return running.done;
  };

  for (;;) {
    const wanted = target();
    for (let slot = 0; slot < wanted; slot++) if (!slots.has(slot)) startSlot(slot);
    for (const slot of [...slots.keys()]) if (slot >= wanted) void stopSlot(slot);
    await condition(() => target() !== slots.size || workflowInfo().continueAsNewSuggested);
    if (workflowInfo().continueAsNewSuggested) {
      await Promise.all([...slots.keys()].map(stopSlot));
      await condition(allHandlersFinished);
      // The memo (the contract version ensureStreamingWorkflow checks) goes along explicitly.
      const next = makeContinueAsNewFunc<typeof streamFlightDelayPredictions>({ memo: workflowInfo().memo ?? {} });
      await next({ consumers: requested, control, retired, restarts, topicPartitions: knownPartitions });
    }
  }
};

/** `n` if it is a whole number ≥ 1, else undefined. */
function wholeAtLeastOne(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined;
}
