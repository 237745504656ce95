import { mongoNames, taskQueues } from '../../common/names';

/** Where the batch routes start runs and read what they made; tests give their own so that runs never meet. */
export interface BatchApiSettings {
  /** The task queue the batch workflows are started on (the batch worker's). */
  taskQueue: string;
  /** MongoDB collections the batch worker writes: the date manifests and the results. */
  collections: { batches: string; results: string };
}

/** The provider token of BatchApiSettings (see api/tokens.ts for why constructor parameters name tokens). */
export const BATCH_SETTINGS = Symbol('BatchApiSettings');

export const batchSettings = (given: { taskQueue?: string; collections?: Partial<BatchApiSettings['collections']> } = {}): BatchApiSettings => ({
  taskQueue: given.taskQueue ?? taskQueues.batch,
  collections: { batches: mongoNames.predictionBatches, results: mongoNames.predictionResults, ...given.collections },
});
