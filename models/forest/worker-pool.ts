import { extname, join } from 'node:path';
import type { BinnedData } from './binning';
import { ThreadPool } from '../thread-pool';
import type { TreeWorkerData } from './tree-worker';
import type { GrowParams } from './tree-grower';
import type { GrownTree } from './tree-builder';

const workerFile = join(__dirname, `tree-worker${extname(__filename)}`);

/**
 * Grows trees on `threads` worker threads, handing out tree seeds as workers become free. Each tree
 * depends only on its seed, so the forest does not depend on the thread count or the order in which
 * trees finish. `data` must live in SharedArrayBuffers. Rejects on the first worker error, an error
 * thrown by onTree, or an abort; the workers are terminated in every case.
 */
export async function growInWorkers(
  data: BinnedData,
  params: GrowParams,
  seeds: readonly number[],
  threads: number,
  onTree: (index: number, tree: GrownTree) => void,
  signal?: AbortSignal,
): Promise<GrownTree[]> {
  signal?.throwIfAborted();
  const init: TreeWorkerData = { data, params };
  const pool = new ThreadPool<number, GrownTree>(workerFile, init, Math.min(threads, seeds.length));
  try {
    return await pool.run(seeds, onTree, signal);
  } finally {
    await pool.close();
  }
}
