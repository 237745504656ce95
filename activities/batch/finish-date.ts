/**
 * After every chunk of a date is done: the manifest's counts, and `_SUCCESS` (the counts as JSON),
 * written last — a reader of the folder takes its parts only once `_SUCCESS` is there.
 */
import { batchSuccessPath } from '../../common/batch-storage';
import type { BatchDeps, BatchRunRef } from './deps';
import { updateManifest } from './manifest';

export interface DateTotals {
  tasks: number;
  scored: number;
  rejected: number;
  loaded: number;
  chunks: number;
  modelVersion: string;
  classCounts: Record<string, number>;
  scoredAt: string;
  /** When the date's workflow began (staging); absent from runs that started before it was sent. */
  startedAt?: string;
}

export async function finishDate(deps: BatchDeps, input: BatchRunRef & { totals: DateTotals }): Promise<void> {
  const { totals } = input;
  const loadedAt = new Date().toISOString();
  await updateManifest(deps, input, {
    status: 'loaded',
    tasks: totals.tasks,
    scored: totals.scored,
    rejected: totals.rejected,
    loaded: totals.loaded,
    chunks: totals.chunks,
    modelVersion: totals.modelVersion,
    classCounts: totals.classCounts,
    loadedAt,
  });
  const success = { date: input.date, ...totals, workflowId: input.workflowId, runId: input.runId, loadedAt };
  await deps.hdfs.create(batchSuccessPath(deps.hdfsDir, input.date), `${JSON.stringify(success)}\n`, { overwrite: true });
  deps.log.info('batch of the date done', { date: input.date, scored: totals.scored, rejected: totals.rejected, chunks: totals.chunks });
}
