/**
 * Worker-thread entry of boosting's thread pool: grows the class trees it is sent on the binned data
 * and round buffers it shares with the main thread, and posts each back with its buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { grownTreeBuffers, type GrownTree } from '../forest/tree-builder';
import type { PoolJob, PoolReply } from '../thread-pool';
import { growClassTree, type ClassTreeInit, type ClassTreeJob } from './class-trees';
import { GradientTreeGrower } from './gradient-tree-grower';

const port = parentPort;
if (port === null) throw new Error('class-tree-worker must be started as a worker thread (see training.ts)');
const init = workerData as ClassTreeInit;
const grower = new GradientTreeGrower(init.data, init.params);

port.on('message', ({ index, job }: PoolJob<ClassTreeJob>) => {
  const tree = growClassTree(grower, init, job);
  const reply: PoolReply<GrownTree> = { index, result: tree };
  port.postMessage(reply, grownTreeBuffers(tree));
});
