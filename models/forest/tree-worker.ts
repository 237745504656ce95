/**
 * Worker-thread entry: grows the trees it is sent ({ index, seed }) on the binned data it shares with
 * the main thread through SharedArrayBuffers, and posts each back with its buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TreeGrower, type GrowParams } from './tree-grower';
import type { BinnedData } from './binning';
import type { GrownTree } from './tree-builder';

export interface TreeJob {
  index: number;
  seed: number;
}

export interface TreeResult {
  index: number;
  tree: GrownTree;
}

export interface TreeWorkerData {
  data: BinnedData;
  params: GrowParams;
}

const port = parentPort;
if (port === null) throw new Error('tree-worker must be started as a worker thread (see worker-pool.ts)');
const { data, params } = workerData as TreeWorkerData;
const grower = new TreeGrower(data, params);

port.on('message', (job: TreeJob) => {
  const tree = grower.grow(job.seed);
  const result: TreeResult = { index: job.index, tree };
  const { feature, split, left, right, leafValues, bitsets, missingLeft, importances } = tree;
  port.postMessage(result, [feature, split, left, right, leafValues, bitsets, missingLeft, importances].map((a) => a.buffer));
});
