/**
 * WebHdfsClient against the real HDFS of the stack (npm run stack -- up hdfs, or WEBHDFS_URL).
 * Everything happens under a fresh /tmp/test-<random> folder, removed at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { config } from '../common/config';
import { WebHdfsClient, WebHdfsError } from '../common/clients/webhdfs';

describe('WebHdfsClient (real HDFS)', () => {
  const hdfs = WebHdfsClient.fromConfig(config());
  const root = `/tmp/test-${randomBytes(6).toString('hex')}`;
  const first = 'flight,delay\nAA100,12\n';
  const second = Buffer.from('DL200,-3\n', 'utf8');

  before(async () => {
    assert.equal(await hdfs.exists(root), false, `${root} should not exist before the test`);
    await hdfs.mkdirs(`${root}/in`);
  });

  after(async () => {
    await hdfs.delete(root, { recursive: true }).catch(() => undefined);
  });

  it('creates a folder that getFileStatus reports as a directory', async () => {
    const status = await hdfs.getFileStatus(`${root}/in`);
    assert.equal(status?.type, 'DIRECTORY');
    assert.equal(status?.owner, config().hdfs.user);
  });

  it('creates, appends and reads back the concatenation', async () => {
    const path = `${root}/in/flights.csv`;
    await hdfs.create(path, first);
    await hdfs.append(path, second);
    const back = await hdfs.open(path);
    assert.ok(Buffer.isBuffer(back));
    assert.equal(back.toString('utf8'), first + second.toString('utf8'));
    assert.equal((await hdfs.open(path, { offset: 7, length: 5 })).toString('utf8'), 'delay');
  });

  it('writes binary data byte for byte, and overwrite replaces', async () => {
    const path = `${root}/in/blob.bin`;
    const bytes = new Uint8Array(randomBytes(200_000));
    await hdfs.create(path, bytes);
    assert.deepEqual(new Uint8Array(await hdfs.read(path)), bytes);
    await assert.rejects(hdfs.create(path, 'again'), (err: unknown) => {
      assert.ok(err instanceof WebHdfsError);
      assert.equal(err.exception, 'FileAlreadyExistsException');
      assert.equal(err.path, path);
      return true;
    });
    await hdfs.create(path, 'replaced', { overwrite: true });
    assert.equal(await hdfs.readText(path), 'replaced');
  });

  it('lists the folder with each file and its length', async () => {
    const entries = await hdfs.listStatus(`${root}/in`);
    const byName = new Map(entries.map((e) => [e.pathSuffix, e]));
    assert.deepEqual([...byName.keys()].sort(), ['blob.bin', 'flights.csv']);
    assert.equal(byName.get('flights.csv')?.type, 'FILE');
    assert.equal(byName.get('flights.csv')?.length, Buffer.byteLength(first) + second.length);
    assert.equal(byName.get('blob.bin')?.length, 'replaced'.length);
  });

  it('getFileStatus gives the length of a file and undefined for a missing path', async () => {
    const status = await hdfs.getFileStatus(`${root}/in/flights.csv`);
    assert.equal(status?.type, 'FILE');
    assert.equal(status?.length, Buffer.byteLength(first) + second.length);
    assert.equal(status?.replication, 1);
    assert.equal(await hdfs.getFileStatus(`${root}/nope.csv`), undefined);
    assert.equal(await hdfs.exists(`${root}/nope.csv`), false);
  });

  it('reports a missing file with the RemoteException and the path', async () => {
    const missing = `${root}/missing.json`;
    await assert.rejects(hdfs.open(missing), (err: unknown) => {
      assert.ok(err instanceof WebHdfsError);
      assert.equal(err.status, 404);
      assert.equal(err.exception, 'FileNotFoundException');
      assert.equal(err.path, missing);
      assert.match(err.message, /missing\.json/);
      return true;
    });
  });

  it('says what to do when nothing answers', async () => {
    // A port that was just free: bind one, note it, close it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const nowhere = new WebHdfsClient({ baseUrl: `http://127.0.0.1:${port}`, user: 'nobody', timeoutMs: 2000 });
    await assert.rejects(nowhere.getFileStatus('/'), (err: unknown) => {
      assert.ok(err instanceof WebHdfsError);
      assert.equal(err.status, 0);
      assert.match(err.message, /ECONNREFUSED/);
      assert.match(err.message, /npm run stack -- up hdfs/);
      return true;
    });
  });

  it('renames a folder, and refuses a rename whose source is gone', async () => {
    await hdfs.rename(`${root}/in`, `${root}/out`);
    assert.equal(await hdfs.exists(`${root}/in`), false);
    assert.equal(await hdfs.readText(`${root}/out/flights.csv`), first + second.toString('utf8'));
    await assert.rejects(hdfs.rename(`${root}/in`, `${root}/elsewhere`), WebHdfsError);
  });

  it('deletes recursively, and the folder is gone', async () => {
    await assert.rejects(hdfs.delete(root), (err: unknown) => err instanceof WebHdfsError && /not empty/i.test(err.message));
    assert.equal(await hdfs.delete(root, { recursive: true }), true);
    assert.equal(await hdfs.exists(root), false);
    assert.equal(await hdfs.getFileStatus(`${root}/out/flights.csv`), undefined);
    assert.equal(await hdfs.delete(root, { recursive: true }), false);
  });
});
