/** What the archiving workflow and its activities hand each other (types only: the workflow imports them). */
import type { ArchivedFile } from '../../common/contracts/archiving';

export type { ArchivedFile };

/** The size of the realtime results collection, as collStats reports it. */
export interface CollectionSize {
  collection: string;
  /** collStats `size`: the documents' bytes (FerretDB 1.24 reports the same figure as `storageSize`). */
  sizeBytes: number;
  count: number;
}

export interface ArchiveChunkInput {
  /** 1-based; part of every file name of the chunk. */
  chunk: number;
  /** Results scored before this ISO time are archived (the workflow works it out from workflow time). */
  cutoff: string;
  /** At most this many documents are selected, written, verified and deleted by one chunk. */
  chunkSize: number;
  /** Archive root on HDFS: files go to `<hdfsDir>/<collection>/FlightDate=<date>/`. */
  hdfsDir: string;
  /** The workflow run's id: with the chunk and the activity's attempt it makes file names no retry reuses. */
  runId: string;
  /** Archived by the chunks before this one (for the heartbeats). */
  archivedBefore: number;
}


export interface ArchiveChunkResult {
  /** Documents deleted from MongoDB, every one of them in a verified file. */
  archived: number;
  /** The chunk's verified files (those recovered from an earlier attempt included). */
  files: ArchivedFile[];
  /** Selected documents that do not fit the Parquet schema: left in MongoDB, never deleted. */
  unfit: { id: string; problem: string }[];
  /**
   * False when the selection found fewer than chunkSize old documents, or none that could be archived:
   * another chunk would find nothing more to do.
   */
  more: boolean;
  /** True when the chunk only finished what an earlier, failed attempt had written (see index.ts). */
  recovered: boolean;
}

/** The heartbeat details of archiveChunk: progress for people, and the checkpoint a retry resumes from. */
export interface ArchiveChunkHeartbeat {
  chunk: number;
  phase: 'recovering' | 'selecting' | 'writing' | 'deleting' | 'done';
  /** Documents selected by this attempt. */
  selected: number;
  /** Verified files of this chunk whose documents may not all be deleted yet (what a retry finishes). */
  written: ArchivedFile[];
  /** Documents of this chunk deleted so far. */
  deleted: number;
  /** archivedBefore + deleted. */
  archivedSoFar: number;
}
