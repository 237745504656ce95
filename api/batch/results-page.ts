/**
 * A page of a date's results, read from its results.jsonl on HDFS with WebHDFS OPEN offset/length: the
 * cursor is the byte offset where the next page starts, so a page costs the same at the start and at
 * the end of a million results, whatever the MongoDB server (FerretDB reads the whole collection for
 * any range of `_id`).
 */
import type { WebHdfsClient } from '../../common/clients/webhdfs';
import type { BatchPredictionResult } from '../../common/prediction/result';

/** Bytes read per window: a result line is about 500 bytes. */
const bytesPerResult = 1024;

export interface ResultsPage {
  results: BatchPredictionResult[];
  /** The offset to ask for next, or null after the last result. */
  next: number | null;
}

/** Up to `limit` results from byte `offset` (0, or a `next` of an earlier page) of the JSON-lines file. */
export async function readResultsPage(hdfs: WebHdfsClient, path: string, offset: number, limit: number): Promise<ResultsPage | undefined> {
  const status = await hdfs.getFileStatus(path);
  if (!status) return undefined;
  const results: BatchPredictionResult[] = [];
  let at = offset;
  let carry = Buffer.alloc(0);
  while (results.length < limit && at < status.length) {
    const length = Math.min(status.length - at, (limit - results.length) * bytesPerResult + 4096);
    const chunk = Buffer.concat([carry, await hdfs.open(path, { offset: at, length })]);
    const start = at - carry.length;
    at += length;
    let lineStart = 0;
    for (let nl = chunk.indexOf(10); nl !== -1 && results.length < limit; nl = chunk.indexOf(10, lineStart)) {
      const text = chunk.toString('utf8', lineStart, nl).trim();
      if (text) results.push(JSON.parse(text) as BatchPredictionResult);
      lineStart = nl + 1;
    }
    if (results.length === limit) {
      const next = start + lineStart;
      return { results, next: next < status.length ? next : null };
    }
    carry = chunk.subarray(lineStart);
  }
  // The end of the file: a last line without its newline is a result too.
  const tail = carry.toString('utf8').trim();
  if (tail && results.length < limit) results.push(JSON.parse(tail) as BatchPredictionResult);
  return { results, next: null };
}
