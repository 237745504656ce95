import type { Db } from 'mongodb';
import type { BatchManifest } from '../../common/batch-storage';
import { batchDayDir } from '../../common/batch-storage';
import { batchCollections, type BatchDeps, type BatchRunRef } from './deps';

type ManifestFields = Partial<Omit<BatchManifest, '_id' | 'hdfs' | 'workflowId' | 'runId' | 'updatedAt'>> & {
  hdfs?: Partial<BatchManifest['hdfs']>;
};

/** The date's `prediction_batches` document, or null when the date has never been batch-predicted. */
export function readManifest(deps: Pick<BatchDeps, 'db' | 'collections'>, date: string): Promise<BatchManifest | null> {
  return manifests(deps.db, deps).findOne({ _id: date });
}

/** Creates or updates the date's manifest with `fields`, stamped with the run and the time. Looked up by _id only. */
export async function updateManifest(deps: Pick<BatchDeps, 'db' | 'collections' | 'hdfsDir'>, run: BatchRunRef, fields: ManifestFields): Promise<void> {
  const { hdfs, ...rest } = fields;
  const set: Record<string, unknown> = {
    ...rest,
    workflowId: run.workflowId,
    runId: run.runId,
    updatedAt: new Date().toISOString(),
    'hdfs.dir': batchDayDir(deps.hdfsDir, run.date),
  };
  for (const [k, v] of Object.entries(hdfs ?? {})) set[`hdfs.${k}`] = v;
  await manifests(deps.db, deps).updateOne({ _id: run.date }, { $set: set }, { upsert: true });
}

const manifests = (db: Db, deps: Pick<BatchDeps, 'collections'>) => db.collection<BatchManifest>(batchCollections(deps).batches);
