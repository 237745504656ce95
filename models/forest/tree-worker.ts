/**
 * Worker-thread entry of the forest's thread pool: grows the trees it is sent (by seed) on the binned
 * data it shares with the main thread through SharedArrayBuffers, and posts each back with its buffers
 * transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PoolJob, PoolReply } from '../thread-pool';
import { TreeGrower, type GrowParams } from './tree-grower';
import type { BinnedData } from './binning';
import { grownTreeBuffers, type GrownTree } from './tree-builder';

export interface TreeWorkerData {
  data: BinnedData;
  params: GrowParams;
}

const port = parentPort;
if (port === null) throw new Error('tree-worker must be started as a worker thread (see worker-pool.ts)');
const { data, params } = workerData as TreeWorkerData;
const grower = new TreeGrower(data, params);

port.on('message', ({ index, job: seed }: PoolJob<number>) => {
  const tree = grower.grow(seed);
  const reply: PoolReply<GrownTree> = { index, result: tree };
  port.postMessage(reply, grownTreeBuffers(tree));
});
