import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Spool folders locked by a sink of this process. */
const lockedHere = new Set<string>();

/**
 * One sink per spool folder: two would seal and upload each other's files. The lock is a file holding
 * the owner's pid; a lock whose process is gone (or that this process left behind) is taken over.
 * Resolves to the function that releases the lock.
 */
export async function lockSpoolDir(spoolDir: string): Promise<() => Promise<void>> {
  if (lockedHere.has(spoolDir)) {
    throw new Error(
      `HDFS Parquet sink: the spool folder ${spoolDir} is in use by another sink of this process. ` +
        'Close that sink first (an earlier attempt of the activity may still be running), or give this one its own spoolDir.',
    );
  }
  const lockPath = join(spoolDir, 'spool.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      lockedHere.add(spoolDir);
      return async () => {
        lockedHere.delete(spoolDir);
        await rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new Error(
          `HDFS Parquet sink: the spool folder ${spoolDir} is in use by process ${owner} (lock file ${lockPath}). ` +
            'Each sink needs its own spool folder (STREAM_SPOOL_DIR); if that process is not a sink, delete the lock file.',
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`HDFS Parquet sink: could not take the lock ${lockPath}; another process keeps taking it. Give each sink its own spool folder.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
