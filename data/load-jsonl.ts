import { createHash, Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PassThrough, pipeline, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import bz2 from 'unbzip2-stream';
import { LoadTally } from './load-tally';
import { LoadedFlights, LoadOptions } from './loaded-flights';
import { readSeedRow, SharedValues } from './seed-row';

const progressEveryRows = 16_384;

/** How a JSONL file is stored, by its name: plain, gzip or bzip2. */
export function jsonlCompression(path: string): 'none' | 'gzip' | 'bzip2' | null {
  if (/\.jsonl?$/i.test(path)) return 'none';
  if (/\.jsonl?\.gz$/i.test(path)) return 'gzip';
  if (/\.jsonl?\.bz2$/i.test(path)) return 'bzip2';
  return null;
}

/** Counts and hashes the source bytes as they stream past. */
class SourceTap extends Transform {
  bytes = 0;

  constructor(readonly hash: Hash) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    this.push(chunk);
    done();
  }
}

/** Hashes what is left of a file after `fromByte`, when loading stopped early at a limit. */
async function hashRemainder(path: string, hash: Hash, fromByte: number): Promise<void> {
  for await (const chunk of createReadStream(path, { start: fromByte })) hash.update(chunk as Buffer);
}

function decompressor(path: string): Transform | null {
  const kind = jsonlCompression(path);
  if (kind === 'gzip') return createGunzip();
  if (kind === 'bzip2') return bz2();
  return null;
}

/**
 * Loads a .jsonl, .jsonl.gz or .jsonl.bz2 file in the seed's schema (`simple_flight_delay_features.jsonl`),
 * streaming: memory stays flat apart from the records returned. Rows without ArrDelay or DepDelay are
 * dropped and counted; malformed rows are counted and the first few reported with line numbers and reasons.
 */
export async function loadJsonl(path: string, options: LoadOptions & { name?: string } = {}): Promise<LoadedFlights> {
  const totalBytes = (await stat(path)).size;
  const tally = new LoadTally();
  const shared = new SharedValues();
  const tap = new SourceTap(createHash('sha256'));
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const unpack = decompressor(path);
  let stoppedAtLimit = false;
  let failure: Error | null = null;
  const onEnd = (err: NodeJS.ErrnoException | null) => {
    if (err && !stoppedAtLimit) failure ??= err;
  };
  // pipeline() destroys every stage when one fails, so the loop below ends instead of waiting forever.
  // The PassThrough makes the end a real Readable (unbzip2-stream is an old-style stream without async iteration).
  const text: Readable = unpack ? pipeline(raw, tap, unpack, new PassThrough(), onEnd) : pipeline(raw, tap, onEnd);
  text.setEncoding('utf8');

  const limit = options.limit ?? Infinity;
  const report = () => options.onProgress?.({ rows: tally.rowsRead, bytes: tap.bytes, totalBytes });
  let lineNumber = 0;
  let carry = '';
  const handle = (line: string) => {
    lineNumber++;
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() === '') return;
    const row = readSeedRow(lineNumber === 1 ? trimmed.replace(/^\uFEFF/, '') : trimmed, shared);
    if (row.kind === 'kept') tally.keep(row.record, row.calendarCorrected);
    else if (row.kind === 'dropped') tally.drop(row.noArrDelay, row.noDepDelay);
    else tally.malformed(lineNumber, row.reason);
    if (tally.rowsRead % progressEveryRows === 0) report();
  };

  try {
    reading: for await (const chunk of text) {
      const lines = (carry + (chunk as string)).split('\n');
      carry = lines.pop()!;
      for (const line of lines) {
        if (tally.rowsRead >= limit) {
          stoppedAtLimit = true;
          break reading;
        }
        handle(line);
      }
    }
    if (carry !== '' && tally.rowsRead < limit) handle(carry);
  } catch (err) {
    if (!stoppedAtLimit) failure ??= err as Error;
  } finally {
    for (const stage of [raw, tap, unpack]) stage?.destroy();
  }
  if (failure) {
    const kind = jsonlCompression(path);
    throw new Error(
      `${path}: could not read it${kind === 'none' ? '' : ` as ${kind}`} after ${lineNumber} lines (${failure.message}); ` +
      'the file is corrupt or truncated: re-create or download it again',
    );
  }
  if (tally.rowsRead >= limit && tap.bytes < totalBytes) await hashRemainder(path, tap.hash, tap.bytes);
  report();
  return {
    name: options.name ?? basename(path).replace(/\.jsonl?(\.gz|\.bz2)?$/i, ''),
    source: path,
    records: tally.records,
    columns: tally.columns(),
    stats: tally.summary(),
    contentHash: tap.hash.digest('hex'),
  };
}
