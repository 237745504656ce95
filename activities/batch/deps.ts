import type { Db } from 'mongodb';
import type { WebHdfsClient } from '../../common/clients/webhdfs';
import type { Logger } from '../../common/logger';
import { mongoNames } from '../../common/names';
import type { DistanceResolver } from '../../common/prediction/distance';
import type { ModelRegistry } from '../../common/model-registry';
import type { FlightLookups } from '../../models/features/lookups';
import { outcomeCollections, outcomeCollectionsBeside, type OutcomeCollections } from '../outcomes/outcome-join';

/** What the batch activities are made of: their clients and settings. */
export interface BatchDeps {
  db: Db;
  hdfs: WebHdfsClient;
  /** The registered models (MLflow), cached on this machine. */
  models: ModelRegistry;
  /** The distance lookup (origin_dest_distances, then airport coordinates); called once per scoring. */
  distances: () => Promise<DistanceResolver>;
  /** The feature lookups (weather, schedule, planes), called only for a model of a feature set with lookups; absent: they are missing. */
  lookups?: () => Promise<FlightLookups>;
  log: Logger;
  /** BATCH_HDFS_DIR: one folder per date below it. */
  hdfsDir: string;
  /** BATCH_CHUNK_SIZE: tasks per chunk (a part file, and an activity that any batch worker may run). */
  chunkSize: number;
  /** The worker process's Temporal identity (`pid@host`), which each chunk's result names. */
  workerIdentity: string;
  /** Collection names; tests use their own. */
  collections?: Partial<BatchCollections>;
  /**
   * The join's collections (activities/outcomes/outcome-join.ts). Default: common/names.ts's — or, for a
   * worker given a results collection of its own (tests, benchmarks), collections beside it.
   */
  outcomeCollections?: OutcomeCollections;
}

export interface BatchCollections {
  tasks: string;
  results: string;
  batches: string;
}

export const batchCollections = (deps: Pick<BatchDeps, 'collections'>): BatchCollections => ({
  tasks: mongoNames.predictionTasks,
  results: mongoNames.predictionResults,
  batches: mongoNames.predictionBatches,
  ...deps.collections,
});

/** Where a batch worker files its predictions for the join (BatchDeps.outcomeCollections). */
export const batchOutcomeCollections = (deps: Pick<BatchDeps, 'collections' | 'outcomeCollections'>): OutcomeCollections =>
  deps.outcomeCollections ?? (deps.collections?.results ? outcomeCollectionsBeside(deps.collections.results) : outcomeCollections());

/** Which workflow execution an activity works for: written into the date's manifest. */
export interface BatchRunRef {
  date: string;
  workflowId: string;
  runId: string;
}
