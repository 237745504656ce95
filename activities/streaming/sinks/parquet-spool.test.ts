import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sampleResult as result } from '../../../test/support/prediction-results';
import {
  activeSpoolName,
  AppendOnlyFile,
  newPartName,
  parseSpoolName,
  readSpool,
  sealedSpoolName,
  toJsonLines,
} from './parquet-spool';

describe('spool names', () => {
  it('round-trip through parseSpoolName', () => {
    const part = newPartName(new Date('2024-01-15T10:30:00.123Z'));
    assert.match(part, /^part-20240115T103000123Z-[0-9a-f]{8}$/);
    assert.deepEqual(parseSpoolName(activeSpoolName('2024-01-15')), { date: '2024-01-15', kind: 'active' });
    assert.deepEqual(parseSpoolName(sealedSpoolName('2024-01-15', part)), { date: '2024-01-15', kind: 'sealed', part });
    assert.equal(parseSpoolName('spool.lock'), undefined);
    assert.equal(parseSpoolName('../x.active.jsonl'), undefined);
  });
});

describe('spool files', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parquet-spool-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends whole batches and reads them back', async () => {
    const path = join(dir, 'a.jsonl');
    const file = await AppendOnlyFile.open(path);
    await file.append(toJsonLines([result(1), result(2)]));
    await file.append(toJsonLines([result(3)]));
    assert.equal(file.bytes, (await readFile(path)).byteLength);
    await file.close();
    const back = await readSpool(path);
    assert.deepEqual(back, { results: [result(1), result(2), result(3)], droppedTail: false });
  });

  it('drops an unfinished last line (a write cut short by a crash)', async () => {
    const path = join(dir, 'b.jsonl');
    await writeFile(path, toJsonLines([result(1)]) + JSON.stringify(result(2)).slice(0, 40));
    assert.deepEqual(await readSpool(path), { results: [result(1)], droppedTail: true });
  });

  it('refuses a damaged line in the middle, naming it', async () => {
    const path = join(dir, 'c.jsonl');
    await writeFile(path, `${toJsonLines([result(1)])}{oops\n${toJsonLines([result(2)])}`);
    await assert.rejects(readSpool(path), /c\.jsonl:2 is not a JSON line.*Move it out of the spool folder/);
  });
});
