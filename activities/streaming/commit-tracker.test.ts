import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommitTracker, type BatchCounts } from './commit-tracker';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
const counts = (n: number): BatchCounts => ({ consumed: n, scored: n, deadLettered: 0 });
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('CommitTracker', () => {
  it('makes a batch committable only when it and every earlier batch of its partition are stored', async () => {
    const stored: number[] = [];
    const tracker = new CommitTracker((c) => stored.push(c.consumed));
    const first = deferred();
    const second = deferred();
    tracker.track('t', 0, '9', counts(10), new Map([['mongodb', first.promise]]));
    tracker.track('t', 0, '19', counts(10), new Map([['mongodb', second.promise]]));
    second.resolve();
    await tick();
    assert.deepEqual(tracker.takeCommittable(), [], 'the second batch is stored, but the first is not');
    assert.equal(tracker.messagesInFlightOn('t', 0), 20);
    first.resolve();
    await tracker.drain();
    assert.deepEqual(tracker.takeCommittable(), [{ topic: 't', partition: 0, offset: '20' }]);
    assert.deepEqual(stored, [10, 10]);
    assert.deepEqual(tracker.takeCommittable(), [], 'taken once');
    assert.equal(tracker.messagesInFlightOn('t', 0), 0);
  });

  it('keeps partitions apart', async () => {
    const tracker = new CommitTracker();
    const slow = deferred();
    tracker.track('t', 0, '5', counts(6), new Map([['s', slow.promise]]));
    tracker.track('t', 1, '7', counts(8), new Map([['s', Promise.resolve()]]));
    await tick();
    assert.deepEqual(tracker.takeCommittable(), [{ topic: 't', partition: 1, offset: '8' }]);
    slow.resolve();
    await tracker.drain();
    assert.deepEqual(tracker.takeCommittable(), [{ topic: 't', partition: 0, offset: '6' }]);
  });

  it('waits for every sink of a batch and names the ones it still waits for', async () => {
    let now = 1000;
    const tracker = new CommitTracker(undefined, () => now);
    const hdfs = deferred();
    tracker.track('t', 0, '0', counts(1), new Map([['mongodb', Promise.resolve()], ['hdfs-parquet', hdfs.promise]]));
    await tick();
    now = 4000;
    assert.deepEqual(tracker.oldest(), { ageMs: 3000, waitingFor: ['hdfs-parquet'] });
    assert.deepEqual(tracker.takeCommittable(), []);
    hdfs.resolve();
    await tracker.drain();
    assert.equal(tracker.oldest(), undefined);
    assert.deepEqual(tracker.takeCommittable(), [{ topic: 't', partition: 0, offset: '1' }]);
  });

  it('after a failure commits nothing more, and reports the first failure with the sink and offset', async () => {
    const tracker = new CommitTracker();
    const failures: Error[] = [];
    tracker.onFailure((err) => failures.push(err));
    tracker.track('t', 0, '9', counts(10), new Map([['mongodb', Promise.reject(new Error('connection reset'))]]));
    tracker.track('t', 0, '19', counts(10), new Map([['mongodb', Promise.resolve()]]));
    tracker.track('t', 1, '4', counts(5), new Map([['mongodb', Promise.resolve()]]));
    await tracker.drain();
    assert.equal(failures.length, 1);
    assert.match(failures[0]!.message, /sink mongodb did not accept the batch ending at t\[0\]@9: connection reset/);
    assert.equal(tracker.failure, failures[0]);
    assert.deepEqual(tracker.takeCommittable(), []);
    const late: Error[] = [];
    tracker.onFailure((err) => late.push(err));
    assert.equal(late.length, 1, 'a listener added after the failure hears of it at once');
  });

  it('never moves a committable offset back when a re-fetched batch lower down completes later', async () => {
    const tracker = new CommitTracker();
    tracker.track('t', 0, '99', counts(100), new Map([['s', Promise.resolve()]]));
    await tracker.drain();
    assert.deepEqual(tracker.takeCommittable(), [{ topic: 't', partition: 0, offset: '100' }]);
    tracker.track('t', 0, '49', counts(50), new Map([['s', Promise.resolve()]]));
    await tracker.drain();
    assert.deepEqual(tracker.takeCommittable(), []);
  });

  it('oldestSettled resolves when the oldest batch settles, failed or not', async () => {
    const tracker = new CommitTracker();
    tracker.onFailure(() => undefined);
    const first = deferred();
    tracker.track('t', 0, '0', counts(1), new Map([['s', first.promise]]));
    let settled = false;
    const waiting = tracker.oldestSettled('t', 0).then(() => (settled = true));
    await tick();
    assert.equal(settled, false);
    first.reject(new Error('boom'));
    await waiting;
    assert.equal(settled, true);
    await tracker.oldestSettled('t', 5); // no batch: at once
  });
});
