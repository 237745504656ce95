/**
 * The lines of a tasks file, read a block at a time — from HDFS with WebHDFS OPEN offset/length, from a
 * worker's disk with a read stream — so a file of a million tasks is never in memory whole. Blank lines
 * are skipped; a line's trailing \r is dropped.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { WebHdfsClient } from '../../common/clients/webhdfs';

const blockBytes = 32 * 1024 * 1024;

export async function* hdfsLines(hdfs: WebHdfsClient, path: string): AsyncGenerator<string> {
  const status = await hdfs.getFileStatus(path);
  if (!status) throw new Error(`no file ${path} on HDFS`);
  let carry = Buffer.alloc(0);
  for (let at = 0; at < status.length; at += blockBytes) {
    const block = Buffer.concat([carry, await hdfs.open(path, { offset: at, length: Math.min(blockBytes, status.length - at) })]);
    let start = 0;
    for (let nl = block.indexOf(10); nl !== -1; nl = block.indexOf(10, start)) {
      const text = block.toString('utf8', start, nl).replace(/\r$/, '');
      if (text.trim() !== '') yield text;
      start = nl + 1;
    }
    carry = block.subarray(start);
  }
  const tail = carry.toString('utf8').replace(/\r$/, '');
  if (tail.trim() !== '') yield tail;
}

export async function* fileLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const text of lines) if (text.trim() !== '') yield text;
}
