import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BinnedData } from './binning';
import { show } from './errors';
import type { TreeJob, TreeResult, TreeWorkerData } from './tree-worker';
import type { GrowParams } from './tree-grower';
import type { GrownTree } from './tree-builder';

const workerFile = join(__dirname, `tree-worker${extname(__filename)}`);

/**
 * Starts a tree worker. Compiled, the worker is tree-worker.js. Under tsx (`node --import tsx` or the
 * tsx CLI) the worker inherits the --import flag, but Node 20 loads a worker's entry file before that
 * hook is active, so a .ts entry would fail: the worker boots through tsx's CommonJS hook instead.
 */
function startWorker(init: TreeWorkerData): Worker {
  if (extname(workerFile) !== '.ts') return new Worker(workerFile, { workerData: init });
  const tsx = require.resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(workerFile)});`;
  return new Worker(boot, { eval: true, workerData: init });
}

/**
 * Grows trees on `threads` worker threads, handing out tree indices as workers become free. Each
 * tree depends only on its seed, so the forest does not depend on the thread count or the order in
 * which trees finish. `data` must live in SharedArrayBuffers. Rejects on the first worker error, an
 * error thrown by onTree, or an abort; the workers are terminated in every case.
 */
export function growInWorkers(
  data: BinnedData,
  params: GrowParams,
  seeds: readonly number[],
  threads: number,
  onTree: (index: number, tree: GrownTree) => void,
  signal?: AbortSignal,
): Promise<GrownTree[]> {
  return new Promise((resolve, reject) => {
    const trees: GrownTree[] = new Array<GrownTree>(seeds.length);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const onAbort = (): void => finish(signal?.reason ?? new Error('aborted'));
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      Promise.all(workers.map((w) => w.terminate())).then(
        () => (error === undefined ? resolve(trees) : reject(error instanceof Error ? error : new Error(`tree workers: ${show(error)}`))),
        reject,
      );
    };
    const dispatch = (w: Worker): void => {
      if (next >= seeds.length) return;
      const job: TreeJob = { index: next, seed: seeds[next]! };
      next++;
      w.postMessage(job);
    };
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    signal?.addEventListener('abort', onAbort);
    for (let i = 0; i < Math.min(threads, seeds.length); i++) {
      const w = startWorker({ data, params });
      workers.push(w);
      w.on('message', (result: TreeResult) => {
        if (settled) return;
        trees[result.index] = result.tree;
        done++;
        try {
          onTree(result.index, result.tree);
        } catch (error) {
          finish(error);
          return;
        }
        if (done === seeds.length) finish();
        else dispatch(w);
      });
      w.on('error', finish);
      w.on('exit', (code) => finish(new Error(`a tree worker exited (code ${code}) before training finished`)));
      dispatch(w);
    }
  });
}
