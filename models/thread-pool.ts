import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';

/** What a pool's worker posts back for each job: the job's index and its result. */
export interface PoolReply<R> {
  index: number;
  result: R;
}

/** What a pool's worker receives for each job. */
export interface PoolJob<J> {
  index: number;
  job: J;
}

/**
 * Starts a worker thread on `file`. Compiled, the file is a .js. Under tsx (`node --import tsx` or the
 * tsx CLI) the worker inherits the --import flag, but Node 20 loads a worker's entry file before that
 * hook is active, so a .ts entry would fail: the worker boots through tsx's CommonJS hook instead.
 */
function startWorker(file: string, workerData: unknown): Worker {
  if (extname(file) !== '.ts') return new Worker(file, { workerData });
  const tsx = require.resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * A fixed set of worker threads running one entry file, each started with the same `workerData`
 * (share big arrays through SharedArrayBuffers), to which batches of jobs are handed out as workers
 * become free. Results come back in job order, whichever worker finished first, so what a caller
 * builds from them cannot depend on the number of threads. Close it when done.
 */
export class ThreadPool<J, R> {
  private readonly workers: Worker[];
  private failure: Error | null = null;
  private batch: { reject: (error: Error) => void } | null = null;

  constructor(file: string, workerData: unknown, threads: number) {
    this.workers = Array.from({ length: threads }, () => startWorker(file, workerData));
    for (const w of this.workers) {
      w.on('error', (error) => this.fail(error));
      w.on('exit', (code) => this.fail(new Error(`a worker thread exited (code ${code}) while the pool was open`)));
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs the jobs, `transfer(job)` naming buffers to move rather than copy; `onResult` sees each result
   * as it arrives (an error it throws fails the batch). Rejects on a worker error or an abort.
   */
  run(jobs: readonly J[], onResult?: (index: number, result: R) => void, signal?: AbortSignal, transfer?: (job: J) => ArrayBuffer[]): Promise<R[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.batch) return Promise.reject(new Error('ThreadPool.run: a batch is already running'));
    return new Promise<R[]>((resolve, reject) => {
      const results = new Array<R>(jobs.length);
      let next = 0;
      let done = 0;
      const listeners: [Worker, (reply: PoolReply<R>) => void][] = [];
      const onAbort = (): void => settle(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      const settle = (error?: Error): void => {
        if (!this.batch) return;
        this.batch = null;
        signal?.removeEventListener('abort', onAbort);
        for (const [w, listener] of listeners) w.off('message', listener);
        if (error) reject(error);
        else resolve(results);
      };
      const dispatch = (w: Worker): void => {
        if (next >= jobs.length) return;
        const index = next++;
        const message: PoolJob<J> = { index, job: jobs[index]! };
        w.postMessage(message, transfer?.(jobs[index]!) ?? []);
      };
      this.batch = { reject: (error) => settle(error) };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      if (jobs.length === 0) return settle();
      for (const w of this.workers) {
        const listener = (reply: PoolReply<R>): void => {
          results[reply.index] = reply.result;
          done++;
          try {
            onResult?.(reply.index, reply.result);
          } catch (error) {
            settle(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (done === jobs.length) settle();
          else dispatch(w);
        };
        listeners.push([w, listener]);
        w.on('message', listener);
        dispatch(w);
      }
    });
  }

  /** Stops every worker (a running batch is rejected). */
  async close(): Promise<void> {
    this.fail(new Error('the thread pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.batch?.reject(error);
  }
}
