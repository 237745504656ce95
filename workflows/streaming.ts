import {
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  sleep,
  setHandler,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { StreamingActivities } from '../activities/streaming';
import {
  emptyStats,
  pauseSignal,
  reloadModelSignal,
  resumeSignal,
  streamControlQuery,
  streamStatsQuery,
  streamStatsSignal,
  type StreamControl,
  type StreamingWorkflow,
  type StreamState,
  type StreamStats,
} from '../common/contracts/streaming';

/**
 * Restarted whenever it fails (a crashed worker shows as a missed heartbeat), for as long as the
 * deployment lives: the retry policy has no attempt limit.
 */
const { consumeAndScore } = proxyActivities<StreamingActivities>({
  startToCloseTimeout: '30 days',
  heartbeatTimeout: '30 seconds',
  // No maximumAttempts: unlimited (the SDK rejects 0).
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * The realtime prediction stream: keeps one long-running consume-and-score activity alive, passes it
 * pause/resume and model reloads, answers a stats query, and continues as new before its history grows
 * large. Started once per deployment with a fixed workflow id (workflowIds.streaming).
 */
export const streamFlightDelayPredictions: StreamingWorkflow = async (state?: StreamState): Promise<void> => {
  const control: StreamControl = state?.control ?? { paused: false, modelVersion: null, reloadGeneration: 0 };
  let stats: StreamStats | null = state?.stats ?? null;
  let restarts = state?.restarts ?? 0;

  setHandler(streamControlQuery, () => control);
  setHandler(streamStatsSignal, (s) => {
    stats = s;
  });
  setHandler(streamStatsQuery, () => ({ ...(stats ?? emptyStats()), paused: control.paused, restarts }));
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

  for (;;) {
    const scope = new CancellationScope();
    let ended = false;
    const running = scope.run(() => consumeAndScore()).then(
      () => undefined,
      (err: unknown) => (isCancellation(err) ? undefined : err),
    ).finally(() => {
      ended = true;
    });
    await condition(() => ended || workflowInfo().continueAsNewSuggested);
    if (!ended) {
      scope.cancel();
      await running;
      await condition(allHandlersFinished);
      await continueAsNew<typeof streamFlightDelayPredictions>({ control, stats, restarts });
    }
    const failure = await running;
    restarts += 1;
    log.warn('the scoring activity ended; starting it again in 5 s', { error: failure instanceof Error ? failure.message : 'completed' });
    // Never a tight loop, whatever makes the activity end at once.
    await sleep('5 seconds');
  }
};
