/**
 * Worker-thread entry of the oblivious trees' thread pool: builds the histograms and finds the best
 * split of the share of a level's features it is sent, on the state it shares with the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PoolJob, PoolReply } from '../thread-pool';
import { growLevel, type LevelJob, type LevelSplit, type ObliviousState } from './oblivious-levels';

const port = parentPort;
if (port === null) throw new Error('oblivious-level-worker must be started as a worker thread (see training.ts)');
const state = workerData as ObliviousState;

port.on('message', ({ index, job }: PoolJob<LevelJob>) => {
  const reply: PoolReply<LevelSplit> = { index, result: growLevel(state, job) };
  Atomics.store(state.fence, 0, 1);
  port.postMessage(reply);
});
