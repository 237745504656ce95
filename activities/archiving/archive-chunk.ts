import { Context } from '@temporalio/activity';
import type { Collection, Db } from 'mongodb';
import type { WebHdfsClient } from '../../common/clients/webhdfs';
import type { Logger } from '../../common/logger';
import { mongoNames } from '../../common/names';
import { readArchivedUuids, writeVerifiedParquet, type ArchiveHdfs } from './archive-file';
import { partName, partitionFolder, temporaryPath } from './archive-names';
import { defaultDeleteBatchSize, deleteArchived } from './delete-archived';
import { heartbeats } from '../heartbeats';
import { partitionChunk, selectOldResults, type StoredResult } from './select-chunk';
import type { ArchiveChunkHeartbeat, ArchiveChunkInput, ArchiveChunkResult, ArchivedFile } from './types';

export interface ArchivingDeps {
  db: Db;
  hdfs: WebHdfsClient;
  log: Logger;
  /** Default: mongoNames.realtimeResults. Also the name of the archive's folder under hdfsDir. */
  collection?: string;
  /** Deletes per bulk write; default defaultDeleteBatchSize (see delete-archived.ts). */
  deleteBatchSize?: number;
  /** Test-only: runs after each archive file is written and verified, before any delete. */
  faults?: { afterWrite?: (file: string) => Promise<void> };
}

interface ChunkContext {
  deps: ArchivingDeps;
  hdfs: ArchiveHdfs;
  coll: Collection<StoredResult>;
  collection: string;
  input: ArchiveChunkInput;
  progress: ArchiveChunkHeartbeat;
  beats: ReturnType<typeof heartbeats>;
  /** Milliseconds per phase, for the log. */
  timings: Record<string, number>;
}

/**
 * One chunk: select, write and verify, delete (see index.ts for the whole story). When the attempt
 * before this one failed after verifying files (its last heartbeat lists them), this attempt only
 * finishes that work: it reads those files back and deletes their UUIDs, so a failure between the
 * write and the delete costs no second copy.
 */
export async function archiveChunk(deps: ArchivingDeps, input: ArchiveChunkInput): Promise<ArchiveChunkResult> {
  const ctx = Context.current();
  const collection = deps.collection ?? mongoNames.realtimeResults;
  const progress: ArchiveChunkHeartbeat = {
    chunk: input.chunk,
    phase: 'selecting',
    selected: 0,
    written: [],
    deleted: 0,
    archivedSoFar: input.archivedBefore,
  };
  const earlier = ctx.info.heartbeatDetails as ArchiveChunkHeartbeat | undefined;
  // Also after 'done': the attempt finished but its completion never reached Temporal.
  const unfinished = earlier?.chunk === input.chunk ? earlier.written : [];
  if (unfinished.length > 0) Object.assign(progress, { phase: 'recovering', written: unfinished });
  const beats = heartbeats(ctx, () => progress);
  const coll = deps.db.collection<StoredResult>(collection);
  const chunk: ChunkContext = { deps, hdfs: deps.hdfs, coll, collection, input, progress, beats, timings: {} };
  try {
    return unfinished.length > 0 ? await finishEarlierAttempt(chunk, unfinished) : await archiveNewChunk(chunk, ctx.info.attempt);
  } finally {
    beats.stop();
  }
}

async function archiveNewChunk(chunk: ChunkContext, attempt: number): Promise<ArchiveChunkResult> {
  const { deps, hdfs, coll, collection, input, progress, beats, timings } = chunk;
  let started = Date.now();
  const docs = await selectOldResults(coll, input.cutoff, input.chunkSize);
  timings.selectMs = Date.now() - started;
  const { byDate, unfit } = partitionChunk(docs);
  progress.selected = docs.length;
  progress.phase = 'writing';
  beats.beat();
  for (const u of unfit.slice(0, 10)) deps.log.warn('a result that does not fit the archive stays in MongoDB', { id: u.id, problem: u.problem });

  const name = partName({ runId: input.runId, chunk: input.chunk, attempt });
  started = Date.now();
  for (const [date, results] of byDate) {
    beats.throwIfCancelled();
    const folder = partitionFolder(input.hdfsDir, collection, date);
    // What earlier attempts of this chunk left half-written (hidden, so no reader sees it).
    for (let a = 1; a < attempt; a++) {
      await hdfs.delete(temporaryPath(folder, partName({ runId: input.runId, chunk: input.chunk, attempt: a })));
    }
    const file = await writeVerifiedParquet(hdfs, folder, name, results);
    progress.written.push(file);
    beats.beat();
    await deps.faults?.afterWrite?.(file.path);
  }

  timings.writeMs = Date.now() - started;
  beats.throwIfCancelled();
  const ids = [...byDate.values()].flat().map((r) => r._id);
  const deleted = await deleteVerified(chunk, ids);
  if (deleted < ids.length) {
    deps.log.warn('some archived results were already gone from MongoDB', { chunk: input.chunk, archived: ids.length, deleted });
  }
  return finish(chunk, {
    archived: ids.length,
    files: progress.written,
    unfit,
    more: docs.length === input.chunkSize && ids.length > 0,
    recovered: false,
  });
}

/** Reads back the files an earlier attempt verified and deletes their UUIDs; a file that cannot be trusted deletes nothing. */
async function finishEarlierAttempt(chunk: ChunkContext, files: ArchivedFile[]): Promise<ArchiveChunkResult> {
  const { deps, hdfs, input } = chunk;
  const kept: ArchivedFile[] = [];
  const ids: string[] = [];
  for (const file of files) {
    const read = await readArchivedUuids(hdfs, file);
    if ('problem' in read) {
      deps.log.warn('an earlier attempt’s archive file cannot be trusted: its results stay in MongoDB and go into a new file', {
        file: file.path,
        problem: read.problem,
      });
      continue;
    }
    kept.push(file);
    ids.push(...read.uuids);
  }
  const deleted = await deleteVerified(chunk, ids);
  deps.log.info('finished the deletes of an earlier attempt', { chunk: input.chunk, files: kept.length, archived: ids.length, deletedNow: deleted });
  return finish(chunk, { archived: ids.length, files: kept, unfit: [], more: true, recovered: true });
}

async function deleteVerified(chunk: ChunkContext, ids: string[]): Promise<number> {
  const { deps, coll, input, progress, beats, timings } = chunk;
  progress.phase = 'deleting';
  beats.beat();
  const started = Date.now();
  const deleted = await deleteArchived(coll, ids, deps.deleteBatchSize ?? defaultDeleteBatchSize, (n) => {
    progress.deleted = n;
    progress.archivedSoFar = input.archivedBefore + n;
    beats.beat();
  });
  timings.deleteMs = Date.now() - started;
  return deleted;
}

function finish({ deps, input, progress, beats, timings }: ChunkContext, result: ArchiveChunkResult): ArchiveChunkResult {
  progress.phase = 'done';
  progress.archivedSoFar = input.archivedBefore + result.archived;
  beats.beat();
  deps.log.info('archived a chunk', {
    chunk: input.chunk,
    archived: result.archived,
    files: result.files.length,
    unfit: result.unfit.length,
    recovered: result.recovered,
    ...timings,
  });
  return result;
}
