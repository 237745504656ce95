/**
 * Before a date's chunks are scored: the model every chunk will use (the version asked for, else the
 * champion at this moment — so a promotion while the date is scored does not split it between two
 * models), `_SUCCESS` removed (a folder without it is being rewritten), the date's earlier results
 * cleared from MongoDB and HDFS. A date's results are `_id` = `<date>:<TaskId>`, so the clearing selects
 * an `_id` prefix (batchResultIdsOf): an index range on MongoDB and on the stack's FerretDB alike.
 * Idempotent: a retry clears again.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { batchPartsDir, batchSuccessPath } from '../../common/batch-storage';
import { batchResultIdsOf, type BatchResultDocument } from '../../common/prediction/result';
import { batchCollections, type BatchDeps, type BatchRunRef } from './deps';
import { readManifest, updateManifest } from './manifest';

export interface PrepareDateResult {
  modelVersion: string;
  /** The shadow challenger scored beside it (MLflow's challenger alias), filed for the monitor and never among the results. */
  challengerVersion?: string;
  /** Results of an earlier run of the date that were removed from MongoDB. */
  cleared: number;
}

export async function prepareDate(deps: BatchDeps, input: BatchRunRef & { modelVersion?: string }): Promise<PrepareDateResult> {
  const ctx = Context.current();
  const modelVersion = input.modelVersion ?? (await deps.models.championVersion());
  if (modelVersion === undefined) {
    throw ApplicationFailure.nonRetryable('no champion model to score with: train one (npm run train) or give modelVersion', 'NoChampion');
  }
  await deps.models.load(modelVersion); // fails here, before anything is cleared, when the version cannot be had
  await deps.hdfs.delete(batchSuccessPath(deps.hdfsDir, input.date));
  const previous = await readManifest(deps, input.date);
  let cleared = 0;
  if (previous?.resultsInMongo) {
    ctx.heartbeat({ stage: 'clear' });
    const collection = deps.db.collection<BatchResultDocument>(batchCollections(deps).results);
    cleared = (await collection.deleteMany({ _id: batchResultIdsOf(input.date) })).deletedCount;
  }
  const dirs = { results: batchPartsDir(deps.hdfsDir, input.date, 'results'), parquet: batchPartsDir(deps.hdfsDir, input.date, 'parquet'), rejects: batchPartsDir(deps.hdfsDir, input.date, 'rejects') };
  for (const dir of Object.values(dirs)) await deps.hdfs.delete(dir, { recursive: true });
  await updateManifest(deps, input, { status: 'scoring', resultsInMongo: true, modelVersion, hdfs: dirs });
  const challengerVersion = await deps.models.challengerVersion();
  return { modelVersion, cleared, ...(challengerVersion !== undefined && challengerVersion !== modelVersion ? { challengerVersion } : {}) };
}
