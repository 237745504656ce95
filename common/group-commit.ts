interface Group<T> {
  items: T[];
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitter<T> {
  /** Resolves once the write holding `items` is done; rejects with that write's error. */
  write(items: readonly T[]): Promise<void>;
  /** Resolves when the writes in progress and queued are done (successful or not). */
  settled(): Promise<void>;
}

/**
 * Group commit: one write at a time, and the items that arrive meanwhile are written together by the
 * next one (up to maxItems per write). Each caller still learns of its own write's outcome, so a
 * durability promise is unchanged; what changes under load is the number of writes, fsyncs and round
 * trips — one per write time instead of one per caller.
 */
export function groupCommitter<T>(writeAll: (items: readonly T[]) => Promise<void>, maxItems = 10_000): GroupCommitter<T> {
  let writing: Promise<void> | undefined;
  const groups: Group<T>[] = [];

  const startWrite = (items: readonly T[]): Promise<void> => {
    const write = writeAll(items);
    writing = write;
    void write.catch(() => undefined).finally(writeDone);
    return write;
  };
  const writeDone = (): void => {
    writing = undefined;
    const next = groups.shift();
    if (next) startWrite(next.items).then(next.resolve, next.reject);
  };

  return {
    write(items) {
      if (items.length === 0) return Promise.resolve();
      if (!writing) return startWrite(items);
      const last = groups.at(-1);
      if (last && last.items.length + items.length <= maxItems) {
        last.items.push(...items);
        return last.promise;
      }
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      groups.push({ items: [...items], promise, resolve, reject });
      return promise;
    },
    async settled() {
      while (writing) await writing.catch(() => undefined);
    },
  };
}
