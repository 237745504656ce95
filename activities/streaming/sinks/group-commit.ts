import type { PredictionResult } from '../../../common/prediction-result';
import type { ResultSink } from './sink';

interface Group {
  results: PredictionResult[];
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for a sink: one write at a time, and the batches that arrive meanwhile are written
 * together by the next one (up to maxRows per write). Each accept() still resolves only after the
 * write that holds its results, and rejects with that write's error, so the sink's promise to the
 * consumer is unchanged; what changes under load is the number of writes, fsyncs and round trips —
 * one per write time instead of one per micro-batch.
 */
export function groupCommit(sink: ResultSink, options: { maxRows?: number } = {}): ResultSink {
  const maxRows = options.maxRows ?? 10_000;
  let writing: Promise<void> | undefined;
  const groups: Group[] = [];

  const startWrite = (results: readonly PredictionResult[]): Promise<void> => {
    const write = sink.accept(results);
    writing = write;
    void write.catch(() => undefined).finally(writeDone);
    return write;
  };
  const writeDone = (): void => {
    writing = undefined;
    const next = groups.shift();
    if (next) startWrite(next.results).then(next.resolve, next.reject);
  };

  const accept = (results: readonly PredictionResult[]): Promise<void> => {
    if (results.length === 0) return Promise.resolve();
    if (!writing) return startWrite(results);
    const last = groups.at(-1);
    if (last && last.results.length + results.length <= maxRows) {
      last.results.push(...results);
      return last.promise;
    }
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    groups.push({ results: [...results], promise, resolve, reject });
    return promise;
  };

  const settled = async (): Promise<void> => {
    while (writing) await writing.catch(() => undefined);
  };

  return {
    name: sink.name,
    accept,
    flush: async () => {
      await settled();
      await sink.flush();
    },
    close: async () => {
      await settled();
      await sink.close();
    },
  };
}
