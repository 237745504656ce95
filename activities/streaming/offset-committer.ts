import type { Consumer } from 'kafkajs';
import type { Logger } from '../../common/logger';
import type { CommitTracker } from './commit-tracker';

/** Commits what the tracker says is stored; one commit at a time. */
export function offsetCommitter(consumer: Consumer, tracker: CommitTracker, log: Logger): { commit(): Promise<void> } {
  let running: Promise<void> | undefined;
  const commit = async (): Promise<void> => {
    if (running) return running.then(() => commit());
    const offsets = tracker.takeCommittable();
    if (offsets.length === 0) return;
    running = consumer
      .commitOffsets(offsets)
      .catch((err: unknown) => {
        // Not fatal: the offsets stay behind, and a restart replays a little more (MongoDB keeps one document per UUID).
        log.warn('could not commit offsets; they are committed with the next batches', { error: (err as Error).message });
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return { commit };
}
