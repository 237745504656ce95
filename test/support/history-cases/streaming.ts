import type { WorkflowHandle } from '@temporalio/client';
import {
  ensureStreamingWorkflow,
  pauseSignal,
  reloadModelSignal,
  resumeSignal,
  scaleSignal,
  streamStatsQuery,
  type StreamingWorkflow,
  type StreamStats,
} from '../../../common/contracts/streaming';
import { waitFor } from '../wait-for';
import type { HistoryCase, RecordedRun } from './recording';
import { StandInConsumers } from './stand-in-consumers';

/**
 * The recording server suggests continue-as-new after this many events (its own dynamic config):
 * few enough for a small file, more than the scale-and-restart case makes with its consumers reporting
 * every 5 s as the real ones do.
 */
export const STREAM_SUGGEST_AFTER = 150;

/** Waits until the stats query says `ok`. */
async function statsUntil(handle: WorkflowHandle<StreamingWorkflow>, what: string, ok: (s: StreamStats) => boolean): Promise<StreamStats> {
  return waitFor(async () => {
    const stats = await handle.query(streamStatsQuery);
    return ok(stats) ? stats : undefined;
  }, 30_000, `the stream: ${what}`);
}

const reported = (s: StreamStats, activityId: string): boolean => s.consumers.some((c) => c.activityId === activityId && c.reportedAt !== null);

export const streamingCases: HistoryCase[] = [
  {
    name: 'streaming: scaled out and in, a consumer retried, one restarted, paused, resumed, reloaded',
    async record(rec): Promise<RecordedRun[]> {
      // consumer-1.2's first attempt fails (Temporal retries it); consumer-0.1 ends and its slot starts consumer-0.3.
      const consumers = new StandInConsumers(rec.client, { reportEveryMs: 5000, failFirstAttempt: ['consumer-1.2'] });
      const workflowId = rec.workflowId('flight-delay-streaming');
      return rec.withWorker(consumers.activities(), async (taskQueue) => {
        await ensureStreamingWorkflow(rec.client, { workflowId, taskQueue, consumers: 1 });
        const handle = rec.client.workflow.getHandle<StreamingWorkflow>(workflowId);
        await statsUntil(handle, 'consumer-0.1 reports', (s) => reported(s, 'consumer-0.1'));
        await handle.signal(scaleSignal, { consumers: 2 });
        await statsUntil(handle, 'consumer-1.2 reports after its retry', (s) => reported(s, 'consumer-1.2'));
        await handle.signal(pauseSignal);
        await handle.signal(resumeSignal);
        await handle.signal(reloadModelSignal, { version: '4' });
        await handle.signal(scaleSignal, { consumers: 0 });
        await statsUntil(handle, 'the bad scale noted', (s) => s.scale.note !== null);
        consumers.end('consumer-0.1');
        await statsUntil(handle, 'consumer-0.3 replaces consumer-0.1', (s) => s.restarts === 1 && reported(s, 'consumer-0.3'));
        // Five asked for, three partitions: three run.
        await handle.signal(scaleSignal, { consumers: 5 });
        await statsUntil(handle, 'consumer-2.4 reports', (s) => reported(s, 'consumer-2.4') && s.scale.scheduled === 3);
        await handle.signal(scaleSignal, { consumers: 1 });
        await statsUntil(handle, 'scaled in to one', (s) => s.scale.scheduled === 1 && s.consumers.length === 1);
        await handle.terminate('recorded');
        return [{ file: 'streaming-scale-restart', workflowId }];
      });
    },
  },
  {
    name: 'streaming: continue-as-new carries the state to the next run',
    async record(rec) {
      const consumers = new StandInConsumers(rec.client, { reportEveryMs: 400 });
      const workflowId = rec.workflowId('flight-delay-streaming');
      return rec.withWorker(consumers.activities(), async (taskQueue) => {
        const firstRunId = await ensureStreamingWorkflow(rec.client, { workflowId, taskQueue, consumers: 2 });
        const handle = rec.client.workflow.getHandle<StreamingWorkflow>(workflowId);
        await handle.signal(reloadModelSignal, { version: '4' });
        const secondRunId = await waitFor(async () => {
          const { runId } = await handle.describe();
          return runId !== firstRunId && runId;
        }, 60_000, `the stream to continue as new after ${STREAM_SUGGEST_AFTER} events`);
        const second = rec.client.workflow.getHandle<StreamingWorkflow>(workflowId, secondRunId);
        await statsUntil(second, 'both consumers of the second run report', (s) => s.consumers.filter((c) => c.reportedAt !== null).length === 2);
        await handle.signal(scaleSignal, { consumers: 1 });
        await statsUntil(second, 'scaled in to one', (s) => s.scale.scheduled === 1);
        // The latest run: the second may have continued as new by now, which is a history as good.
        await handle.terminate('recorded');
        return [
          { file: 'streaming-continue-as-new', workflowId, runId: firstRunId },
          { file: 'streaming-after-continue-as-new', workflowId, runId: secondRunId },
        ];
      });
    },
  },
];
