/**
 * The local half of the HDFS Parquet sink: the fsync'd JSON-lines spool files that make `accept`
 * durable (AppendOnlyFile, which the text file sink uses too) and their names. A sealed spool file
 * becomes one Parquet file of the realtime schema (common/prediction/parquet-schema.ts).
 *
 * Spool folder layout (one folder per sink; see hdfs-parquet-sink.ts):
 *   2024-01-15.active.jsonl                                  being appended to, for FlightDate 2024-01-15
 *   2024-01-15.part-20240115T103000123Z-1a2b3c4d.sealed.jsonl  closed; names the Parquet file it becomes
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { PredictionResult } from '../../../common/prediction/result';

// --- names ---------------------------------------------------------------------------------------

export type SpoolFileName = { date: string; kind: 'active' } | { date: string; kind: 'sealed'; part: string };

export const activeSpoolName = (date: string): string => `${date}.active.jsonl`;
export const sealedSpoolName = (date: string, part: string): string => `${date}.${part}.sealed.jsonl`;

const activePattern = /^(\d{4}-\d{2}-\d{2})\.active\.jsonl$/;
const sealedPattern = /^(\d{4}-\d{2}-\d{2})\.(part-\d{8}T\d{9}Z-[0-9a-f]{8})\.sealed\.jsonl$/;

/** What a file in the spool folder is, or undefined for anything else (the lock file, strangers). */
export function parseSpoolName(name: string): SpoolFileName | undefined {
  const active = activePattern.exec(name);
  if (active?.[1]) return { date: active[1], kind: 'active' };
  const sealed = sealedPattern.exec(name);
  if (sealed?.[1] && sealed[2]) return { date: sealed[1], kind: 'sealed', part: sealed[2] };
  return undefined;
}

/** "part-<UTC time, e.g. 20240115T103000123Z>-<8 random hex digits>": the Parquet file's name without ".parquet". */
export function newPartName(at: Date): string {
  const time = at.toISOString().replace(/[-:.]/g, '');
  return `part-${time}-${randomBytes(4).toString('hex')}`;
}

// --- files ---------------------------------------------------------------------------------------

/**
 * A file opened for appending, where each append is one write followed by fdatasync: when append()
 * resolves, the bytes survive a crash. When a write fails halfway, the file is cut back to its last
 * complete append, so no half line stays behind; if even that fails, the next append retries the cut
 * before writing (and fails while it cannot).
 */
export class AppendOnlyFile {
  private damaged = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private size: number,
  ) {}

  static async open(path: string): Promise<AppendOnlyFile> {
    const handle = await open(path, 'a');
    try {
      return new AppendOnlyFile(path, handle, (await handle.stat()).size);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Bytes in the file after the last complete append. */
  get bytes(): number {
    return this.size;
  }

  async append(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.damaged) {
      await this.handle.truncate(this.size);
      this.damaged = false;
    }
    try {
      for (let written = 0; written < bytes.byteLength; ) {
        written += (await this.handle.write(bytes, written, bytes.byteLength - written)).bytesWritten;
      }
      await this.handle.datasync();
      this.size += bytes.byteLength;
    } catch (err) {
      await this.handle.truncate(this.size).catch(() => {
        this.damaged = true;
      });
      throw err;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Makes a folder's entries (new, renamed or deleted files) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The JSON lines of `results`, each ending in a newline. */
export const toJsonLines = (results: readonly PredictionResult[]): string =>
  results.map((r) => `${JSON.stringify(r)}\n`).join('');

/**
 * The results in a spool file. A last line without its newline is the trace of a write that never
 * completed (a crash mid-append): its batch was never acknowledged, so it is dropped and reported in
 * `droppedTail`. Any other line that is not JSON means the file was damaged outside the sink: that
 * throws, naming the line.
 */
export async function readSpool(path: string): Promise<{ results: PredictionResult[]; droppedTail: boolean }> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const tail = lines.pop();
  const results: PredictionResult[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    try {
      results.push(JSON.parse(line) as PredictionResult);
    } catch (err) {
      throw new Error(
        `${path}:${i + 1} is not a JSON line (${(err as Error).message}): the spool file was damaged outside the sink. ` +
          'Move it out of the spool folder so the sink can go on, and load its good lines by hand if they matter.',
      );
    }
  });
  return { results, droppedTail: tail !== undefined && tail !== '' };
}
