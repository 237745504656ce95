import { Context } from '@temporalio/activity';
import { keptAlive } from '../heartbeats';
import type { TrainingHeartbeat } from './types';

/**
 * Runs a step that reads, writes or uploads a model with a heartbeat every few seconds: the training's
 * activities share its heartbeat timeout, and a large model can take longer than a short one to move.
 */
export function saving<T>(work: () => Promise<T>): Promise<T> {
  return keptAlive(Context.current(), (): TrainingHeartbeat => ({ stage: 'save' }), work);
}
