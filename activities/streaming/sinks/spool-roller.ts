import { readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { WebHdfsClient } from '../../../common/clients/webhdfs';
import type { Logger } from '../../../common/logger';
import { resultsToParquet } from '../../../common/prediction/parquet-schema';
import { fsyncDir, newPartName, parseSpoolName, readSpool, sealedSpoolName } from './parquet-spool';

/** What the sink needs of HDFS (WebHdfsClient has it; tests pass an in-memory one). */
export type ParquetHdfs = Pick<WebHdfsClient, 'create' | 'rename' | 'exists'>;

export interface SpoolRollerOptions {
  hdfs: ParquetHdfs;
  /** The sink's spool folder, resolved and locked. */
  spoolDir: string;
  /** HDFS folder of the partitions FlightDate=YYYY-MM-DD/, without a trailing slash. */
  baseDir: string;
  log: Logger;
  now: () => number;
}

interface SealedSpool {
  date: string;
  part: string;
}

/**
 * The upload half of the HDFS Parquet sink (see HdfsParquetSink): seals spool files, turns each
 * sealed one into a Parquet file on HDFS (hidden temporary name, then a rename) and deletes it
 * locally. A failed upload leaves the file sealed in the spool folder; every kick retries it.
 */
export class SpoolRoller {
  /** Sealed spool files by file name, in the order they were sealed. */
  private readonly sealed = new Map<string, SealedSpool>();
  private rolling: Promise<void> | undefined;
  private rollAgain = false;
  private readonly totals = { uploadedFiles: 0, uploadedRows: 0, uploadedBytes: 0 };
  private error: Error | undefined;

  constructor(private readonly options: SpoolRollerOptions) {}

  /** Sealed spool files waiting for their upload. */
  get pendingFiles(): number {
    return this.sealed.size;
  }

  /** The last upload failure, kept until an upload succeeds. */
  get lastError(): Error | undefined {
    return this.error;
  }

  uploaded(): { uploadedFiles: number; uploadedRows: number; uploadedBytes: number } {
    return { ...this.totals };
  }

  /** Resolves when the background uploads started so far are done (successful or not). */
  async settled(): Promise<void> {
    await this.rolling;
  }

  /** At start: seals leftover active spool files, picks up sealed ones, and rolls them all (failures are logged and retried later). */
  async recover(): Promise<void> {
    const { spoolDir, log } = this.options;
    const names = (await readdir(spoolDir)).sort();
    let leftovers = 0;
    for (const fileName of names) {
      const parsed = parseSpoolName(fileName);
      if (!parsed) continue;
      leftovers++;
      if (parsed.kind === 'sealed') this.sealed.set(fileName, { date: parsed.date, part: parsed.part });
      else await this.seal(parsed.date, join(spoolDir, fileName));
    }
    if (leftovers === 0) return;
    log.info('rolling spool files left by an earlier run', { spoolDir, files: leftovers });
    await this.kick();
  }

  /** Renames a spool file to its sealed name, which fixes the name of the Parquet file it becomes. */
  async seal(date: string, path: string): Promise<void> {
    const { spoolDir, now } = this.options;
    const part = newPartName(new Date(now()));
    const fileName = sealedSpoolName(date, part);
    await rename(path, join(spoolDir, fileName));
    // Durable before any upload: were the rename lost in a crash, the file would be sealed again
    // under another part name and could be published twice.
    await fsyncDir(spoolDir);
    this.sealed.set(fileName, { date, part });
  }

  /** Uploads the sealed files in the background, one at a time; the promise resolves when none is left to try. */
  kick(): Promise<void> {
    this.rollAgain = true;
    this.rolling ??= (async () => {
      while (this.rollAgain) {
        this.rollAgain = false;
        for (const [fileName, spool] of [...this.sealed]) {
          try {
            await this.upload(fileName, spool);
            this.sealed.delete(fileName);
            this.error = undefined;
          } catch (err) {
            this.error = err as Error;
            this.options.log.warn('upload of a spool file failed; it stays in the spool and is retried', {
              file: fileName,
              error: (err as Error).message,
            });
          }
        }
      }
    })().finally(() => {
      this.rolling = undefined;
    });
    return this.rolling;
  }

  private async upload(fileName: string, { date, part }: SealedSpool): Promise<void> {
    const { hdfs, spoolDir, baseDir, log } = this.options;
    const path = join(spoolDir, fileName);
    const { results, droppedTail } = await readSpool(path);
    if (droppedTail) {
      log.warn('dropped the unfinished last line of a spool file (a write cut short by a crash; its batch was never acknowledged)', {
        file: fileName,
      });
    }
    const folder = `${baseDir}/FlightDate=${date}`;
    const target = `${folder}/${part}.parquet`;
    if (results.length > 0 && !(await hdfs.exists(target))) {
      const parquet = await resultsToParquet(results);
      const temporary = `${folder}/.${part}.parquet.tmp`;
      await hdfs.create(temporary, parquet, { overwrite: true });
      await hdfs.rename(temporary, target);
      this.totals.uploadedFiles++;
      this.totals.uploadedRows += results.length;
      this.totals.uploadedBytes += parquet.byteLength;
      log.info('rolled a spool file into Parquet', { path: target, rows: results.length, bytes: parquet.byteLength });
    }
    await unlink(path);
  }
}
