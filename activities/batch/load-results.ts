/**
 * The DAG's last task: the date's results.jsonl → MongoDB `prediction_results`, replacing the date's
 * earlier results. Each document's _id is `<date>:<TaskId>`, so the date can never hold two copies of a
 * task's result. A date that already had results in MongoDB (the manifest says so) is cleared first —
 * which also removes the results of tasks that are no longer in the day's task list — then the results
 * are inserted, unordered, a few batches at a time. A retry after a crash finds `resultsInMongo` set,
 * clears again and reloads: the load is idempotent.
 *
 * The clearing selects the date's `_id` prefix (batchResultIdsOf): an index range on MongoDB and on the
 * stack's FerretDB alike.
 */
import { Context } from '@temporalio/activity';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { duplicateKeyPositions } from '../../common/clients/mongo';
import { batchResultDocument, batchResultIdsOf, type BatchPredictionResult, type BatchResultDocument } from '../../common/prediction/result';
import { jsonLines } from './json-lines';
import { batchCollections, type BatchDeps, type BatchRunRef } from './deps';
import { readManifest, updateManifest } from './manifest';

export interface LoadResultsInput extends BatchRunRef {
  resultsPath: string;
}

export interface LoadResultsResult {
  loaded: number;
  /** Results of an earlier run of the date that were removed first. */
  cleared: number;
}

const insertBatch = 5_000;
const insertsInFlight = 2;

export async function loadDailyResults(deps: BatchDeps, input: LoadResultsInput): Promise<LoadResultsResult> {
  const ctx = Context.current();
  const collection = deps.db.collection<BatchResultDocument>(batchCollections(deps).results);
  const previous = await readManifest(deps, input.date);
  let cleared = 0;
  if (previous?.resultsInMongo) {
    ctx.heartbeat({ stage: 'clear' });
    cleared = (await collection.deleteMany({ _id: batchResultIdsOf(input.date) })).deletedCount;
  }
  await updateManifest(deps, input, { status: 'loading', resultsInMongo: true, hdfs: { results: input.resultsPath } });

  const buffer = await deps.hdfs.open(input.resultsPath);
  const docs: BatchResultDocument[] = [];
  for (const { text } of jsonLines(buffer)) docs.push(batchResultDocument(JSON.parse(text) as BatchPredictionResult));
  const loaded = await insertResults(collection, docs, (n) => ctx.heartbeat({ stage: 'load', loaded: n }));
  await updateManifest(deps, input, { status: 'loaded', loaded, loadedAt: new Date().toISOString() });
  deps.log.info('loaded the day\'s results', { date: input.date, loaded, cleared });
  return { loaded, cleared };
}

/**
 * Inserts a date's result documents, `insertBatch` a command and `insertsInFlight` commands at a time
 * (a document whose _id is there already is replaced); `onProgress` gets the count stored so far.
 * The batch load's own write path, which `npm run bench:store` measures too.
 */
export async function insertResults(
  collection: Collection<BatchResultDocument>,
  docs: readonly BatchResultDocument[],
  onProgress: (loaded: number) => void = () => undefined,
): Promise<number> {
  let loaded = 0;
  let next = 0;
  const worker = async () => {
    while (next < docs.length) {
      const batch = docs.slice(next, next + insertBatch);
      next += batch.length;
      await insertOrReplace(collection, batch);
      loaded += batch.length;
      onProgress(loaded);
    }
  };
  await Promise.all(Array.from({ length: insertsInFlight }, worker));
  return loaded;
}

/** Inserts the batch; documents whose _id is there already (a concurrent writer) are replaced. */
async function insertOrReplace(collection: Collection<BatchResultDocument>, batch: BatchResultDocument[]): Promise<void> {
  try {
    await collection.insertMany(batch, { ordered: false });
  } catch (err) {
    const existing = duplicateKeyPositions(err);
    if (!existing) throw err;
    const replacements: AnyBulkWriteOperation<BatchResultDocument>[] = existing.map((at) => {
      const doc = batch[at]!;
      return { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } };
    });
    await collection.bulkWrite(replacements, { ordered: false });
  }
}
