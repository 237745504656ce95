import type { Client } from '@temporalio/client';
import type { WorkflowBundle } from '@temporalio/worker';
import { NativeConnection, Worker } from '@temporalio/worker';

/** One workflow run whose history a case keeps, as `test/histories/<file>.json`. */
export interface RecordedRun {
  file: string;
  workflowId: string;
  /** Default: the latest run of workflowId. */
  runId?: string;
}

/** What a case gets to record with: a client of the recording server, and workers of today's workflow code. */
export interface Recording {
  client: Client;
  /**
   * Runs a worker of today's workflow bundle (the bundle the workers build from workflows/index.ts)
   * with these activities, on a task queue of its own, for as long as `drive` runs.
   */
  withWorker<T>(activities: object, drive: (taskQueue: string) => Promise<T>): Promise<T>;
  /** A workflow id no other case uses: `<prefix>-<n>`. */
  workflowId(prefix: string): string;
}

/** A path through one workflow, recorded against a real server. */
export interface HistoryCase {
  /** For the recorder's log. */
  name: string;
  record(rec: Recording): Promise<RecordedRun[]>;
}

export function recording(client: Client, connection: NativeConnection, bundle: WorkflowBundle): Recording {
  let queues = 0;
  let ids = 0;
  const started = Date.now().toString(36);
  return {
    client,
    async withWorker(activities, drive) {
      const taskQueue = `replay-record-${started}-${++queues}`;
      const worker = await Worker.create({
        connection,
        namespace: client.options.namespace,
        taskQueue,
        workflowBundle: bundle,
        activities,
      });
      return worker.runUntil(drive(taskQueue));
    },
    workflowId: (prefix) => `${prefix}-${started}-${++ids}`,
  };
}

/** Resolves after `ms` (the recorder's own pacing, outside any workflow). */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An activity stand-in made of a plain function: its value (or what it throws) as a promise, as the
 * activity it stands in for gives it.
 */
export const standIn =
  <A extends unknown[], R>(answer: (...args: A) => R) =>
  (...args: A): Promise<R> =>
    Promise.resolve().then(() => answer(...args));
