import type { WebHdfsClient } from '../../common/clients/webhdfs';
import type { PredictionResult } from '../../common/prediction/result';
import { resultsToParquet } from '../../common/prediction/parquet-schema';
import { archivePath, flightDateOf, temporaryPath } from './archive-names';
import type { ArchivedFile } from './types';

export type ArchiveHdfs = Pick<WebHdfsClient, 'create' | 'open' | 'rename' | 'getFileStatus' | 'delete'>;

/** The UUID column of a Parquet file, read with hyparquet (as any reader of the archive would). */
export async function parquetUuids(bytes: Buffer): Promise<string[]> {
  const { parquetReadObjects } = await import('hyparquet');
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return (await parquetReadObjects({ file, columns: ['UUID'] })).map((row) => row.UUID as string);
}

/** What is wrong when a file's UUIDs are not exactly `expected` (same count, same set, no repeats), else undefined. */
export function uuidMismatch(found: readonly string[], expected: readonly string[]): string | undefined {
  if (found.length !== expected.length) return `${found.length} rows, expected ${expected.length}`;
  const want = new Set(expected);
  const seen = new Set<string>();
  for (const uuid of found) {
    if (!want.has(uuid)) return `UUID ${uuid} is not one of the chunk's`;
    if (seen.has(uuid)) return `UUID ${uuid} is in the file twice`;
    seen.add(uuid);
  }
  return seen.size === want.size ? undefined : `${want.size - seen.size} of the chunk's UUIDs are missing`;
}

/**
 * Writes `results` (one FlightDate) as `<folder>/<part>.parquet`, and resolves only once the file is
 * there and verified: written under the hidden temporary name (never over an existing file), read
 * back byte for byte and through hyparquet (row count and the UUID set), then renamed to its final
 * name, which fails rather than replace a file that exists.
 */
export async function writeVerifiedParquet(
  hdfs: ArchiveHdfs,
  folder: string,
  part: string,
  results: readonly PredictionResult[],
): Promise<ArchivedFile> {
  const bytes = await resultsToParquet(results);
  const temporary = temporaryPath(folder, part);
  const path = archivePath(folder, part);
  await hdfs.create(temporary, bytes, { overwrite: false });
  const back = await hdfs.open(temporary);
  if (!back.equals(bytes)) throw new Error(`${temporary} reads back ${back.byteLength} bytes that differ from the ${bytes.byteLength} written`);
  const mismatch = uuidMismatch(await parquetUuids(back), results.map((r) => r.UUID));
  if (mismatch) throw new Error(`${temporary} does not hold the chunk's results: ${mismatch}`);
  await hdfs.rename(temporary, path);
  const status = await hdfs.getFileStatus(path);
  if (status?.length !== bytes.byteLength) throw new Error(`${path} has ${status?.length ?? 'no'} bytes after the rename, expected ${bytes.byteLength}`);
  return { path, flightDate: flightDateOf(path), rows: results.length, bytes: bytes.byteLength };
}

/**
 * The UUIDs of an archive file written by an earlier attempt, read back from HDFS now; or, when the
 * file is gone, unreadable or not the size that attempt recorded, why it cannot be trusted. A failing
 * HDFS throws (retryable): that is not an answer about the file.
 */
export async function readArchivedUuids(hdfs: ArchiveHdfs, file: ArchivedFile): Promise<{ uuids: string[] } | { problem: string }> {
  const status = await hdfs.getFileStatus(file.path);
  if (status?.type !== 'FILE') return { problem: 'the file is not there' };
  if (status.length !== file.bytes) return { problem: `${status.length} bytes, the attempt that wrote it verified ${file.bytes}` };
  const bytes = await hdfs.open(file.path);
  let uuids: string[];
  try {
    uuids = await parquetUuids(bytes);
  } catch (err) {
    return { problem: `not readable as Parquet: ${(err as Error).message}` };
  }
  return uuids.length === file.rows ? { uuids } : { problem: `${uuids.length} rows, the attempt that wrote it verified ${file.rows}` };
}
