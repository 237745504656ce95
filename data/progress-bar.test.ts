import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgressBar, formatProgress } from './progress-bar';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (text: string) => writes.push(text) } };
}

describe('progress bar', () => {
  it('draws a bar with percent, rows and megabytes', () => {
    assert.equal(
      formatProgress('load', { rows: 1_500_000, bytes: 3 * 1_048_576, totalBytes: 6 * 1_048_576 }, 60),
      'load [###########----------]  50% 1,500,000 rows 3.0/6.0 MB',
    );
  });

  it('prints only the summary line when stderr is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const bar = createProgressBar('nycflights13', stream, 0);
    bar.update({ rows: 10, bytes: 5, totalBytes: 10 });
    bar.done('10 rows kept');
    assert.deepEqual(writes, ['nycflights13: 10 rows kept\n']);
  });

  it('redraws in place on a terminal, then clears the bar for the summary', () => {
    const { writes, stream } = fakeStream(true);
    const bar = createProgressBar('x', stream, 0);
    bar.update({ rows: 1, bytes: 1, totalBytes: 2 });
    bar.update({ rows: 2, bytes: 2, totalBytes: 2 });
    bar.done('done');
    assert.equal(writes.length, 3);
    assert.match(writes[0]!, /^\rx \[#+-+\] {2}50% 1 rows/);
    assert.equal(writes[2], '\r\x1b[Kx: done\n');
  });
});
