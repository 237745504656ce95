/**
 * A page of a date's results, read from its results part files on HDFS with WebHDFS OPEN offset/length:
 * the cursor is `<part>:<byte offset>`, where the next page starts, so a page costs the same at the start
 * and at the end of a million results, whatever the MongoDB server (FerretDB reads the whole collection
 * for any range of `_id`).
 */
import type { WebHdfsClient } from '../../common/clients/webhdfs';
import { batchPartIndex } from '../../common/batch-storage';
import type { BatchPredictionResult } from '../../common/prediction/result';

/** Bytes read per window: a result line is about 500 bytes. */
const bytesPerResult = 1024;

export interface PageCursor {
  part: number;
  offset: number;
}

export interface ResultsPage {
  results: BatchPredictionResult[];
  /** Where to ask for next, or null after the last result. */
  next: PageCursor | null;
}

/** Up to `limit` results from `after` (the start, or a `next` of an earlier page) of the date's folder of results parts; undefined when there is no folder. */
export async function readResultsPage(hdfs: WebHdfsClient, dir: string, after: PageCursor, limit: number): Promise<ResultsPage | undefined> {
  let listing;
  try {
    listing = await hdfs.listStatus(dir);
  } catch {
    return undefined;
  }
  const parts = listing
    .map((f) => ({ index: batchPartIndex(f.pathSuffix), length: f.length, path: `${dir}/${f.pathSuffix}` }))
    .filter((p): p is { index: number; length: number; path: string } => p.index !== undefined && p.index >= after.part)
    .sort((a, b) => a.index - b.index);
  const results: BatchPredictionResult[] = [];
  for (const [i, part] of parts.entries()) {
    const from = part.index === after.part ? after.offset : 0;
    const end = await readLines(hdfs, part, from, limit - results.length, results);
    if (results.length === limit) {
      if (end < part.length) return { results, next: { part: part.index, offset: end } };
      const following = parts[i + 1];
      return { results, next: following ? { part: following.index, offset: 0 } : null };
    }
  }
  return { results, next: null };
}

/** Reads up to `want` results of one part from byte `from` into `into`; returns the offset after the last line read. */
async function readLines(hdfs: WebHdfsClient, part: { path: string; length: number }, from: number, want: number, into: BatchPredictionResult[]): Promise<number> {
  let taken = 0;
  let at = from;
  let carry = Buffer.alloc(0);
  while (taken < want && at < part.length) {
    const length = Math.min(part.length - at, (want - taken) * bytesPerResult + 4096);
    const chunk = Buffer.concat([carry, await hdfs.open(part.path, { offset: at, length })]);
    const start = at - carry.length;
    at += length;
    let lineStart = 0;
    for (let nl = chunk.indexOf(10); nl !== -1 && taken < want; nl = chunk.indexOf(10, lineStart)) {
      const text = chunk.toString('utf8', lineStart, nl).trim();
      if (text) {
        into.push(JSON.parse(text) as BatchPredictionResult);
        taken++;
      }
      lineStart = nl + 1;
    }
    if (taken === want) return start + lineStart;
    carry = chunk.subarray(lineStart);
  }
  // The end of the part: a last line without its newline is a result too.
  const tail = carry.toString('utf8').trim();
  if (tail && taken < want) into.push(JSON.parse(tail) as BatchPredictionResult);
  return part.length;
}
