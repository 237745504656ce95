import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PredictionResult } from '../../../common/prediction/result';
import { groupCommit } from './group-commit';
import type { ResultSink } from './sink';

const row = (uuid: string): PredictionResult => ({ UUID: uuid }) as PredictionResult;

/** A sink whose writes finish when the test says so. */
function manualSink(): { sink: ResultSink; writes: string[][]; finish: (err?: Error) => void; closed: () => boolean } {
  const writes: string[][] = [];
  const pending: { resolve: () => void; reject: (err: Error) => void }[] = [];
  let closed = false;
  const sink: ResultSink = {
    name: 'manual',
    accept: (results) => {
      writes.push(results.map((r) => r.UUID));
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    },
    flush: () => Promise.resolve(),
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
  return { sink, writes, finish: (err) => (err ? pending.shift()!.reject(err) : pending.shift()!.resolve()), closed: () => closed };
}
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('groupCommit', () => {
  it('writes the batches that arrive during a write together in the next one, and each accept waits for its own write', async () => {
    const { sink, writes, finish } = manualSink();
    const grouped = groupCommit(sink);
    const done: string[] = [];
    const a = grouped.accept([row('a')]).then(() => done.push('a'));
    const b = grouped.accept([row('b')]).then(() => done.push('b'));
    const c = grouped.accept([row('c1'), row('c2')]).then(() => done.push('c'));
    await tick();
    assert.deepEqual(writes, [['a']], 'one write at a time');
    finish();
    await a;
    await tick();
    assert.deepEqual(done, ['a'], 'b and c are not written yet');
    assert.deepEqual(writes, [['a'], ['b', 'c1', 'c2']]);
    finish();
    await Promise.all([b, c]);
    assert.deepEqual(done, ['a', 'b', 'c']);
  });

  it('rejects every accept of a failed write, and goes on with the next group', async () => {
    const { sink, writes, finish } = manualSink();
    const grouped = groupCommit(sink);
    const first = grouped.accept([row('a')]);
    const b = grouped.accept([row('b')]);
    const c = grouped.accept([row('c')]);
    finish();
    await first;
    await tick();
    const d = grouped.accept([row('d')]);
    finish(new Error('disk full'));
    await assert.rejects(b, /disk full/);
    await assert.rejects(c, /disk full/);
    await tick();
    assert.deepEqual(writes, [['a'], ['b', 'c'], ['d']]);
    finish();
    await d;
  });

  it('caps a write at maxRows, starting a new group past it', async () => {
    const { sink, writes, finish } = manualSink();
    const grouped = groupCommit(sink, { maxRows: 2 });
    const all = [grouped.accept([row('a')]), grouped.accept([row('b')]), grouped.accept([row('c')]), grouped.accept([row('d')])];
    for (let i = 0; i < 3; i++) {
      await tick();
      finish();
    }
    await Promise.all(all);
    assert.deepEqual(writes, [['a'], ['b', 'c'], ['d']]);
  });

  it('close waits for the writes in progress and queued, then closes the sink', async () => {
    const { sink, writes, finish, closed } = manualSink();
    const grouped = groupCommit(sink);
    const a = grouped.accept([row('a')]);
    const b = grouped.accept([row('b')]);
    const closing = grouped.close();
    await tick();
    assert.equal(closed(), false);
    finish();
    await a;
    await tick();
    finish();
    await Promise.all([b, closing]);
    assert.equal(closed(), true);
    assert.deepEqual(writes, [['a'], ['b']]);
  });
});
