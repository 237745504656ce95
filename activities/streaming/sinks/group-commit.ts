import { groupCommitter } from '../../../common/group-commit';
import type { ResultSink } from './sink';

/**
 * A sink with group commit (common/group-commit.ts): one write at a time, and the batches that arrive
 * meanwhile go out together in the next write (up to maxRows). Each accept() still resolves only
 * after the write holding its results, so the sink's promise to the consumer is unchanged.
 */
export function groupCommit<R>(sink: ResultSink<R>, options: { maxRows?: number } = {}): ResultSink<R> {
  const committer = groupCommitter((results: readonly R[]) => sink.accept(results), options.maxRows);
  return {
    name: sink.name,
    accept: (results) => committer.write(results),
    flush: async () => {
      await committer.settled();
      await sink.flush();
    },
    close: async () => {
      await committer.settled();
      await sink.close();
    },
  };
}
