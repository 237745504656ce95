/**
 * The training worker: polls the training task queue, runs trainFlightDelayModel and its activities.
 *   npm run worker:training
 * Stops cleanly on SIGINT/SIGTERM (the SDK finishes or hands back what it was running).
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createTrainingActivities } from '../activities/training';
import { createMlflowClient } from '../common/clients/mlflow';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { config, type Config } from '../common/config';
import { createLogger, exitWithError } from '../common/logger';
import { mlflowNames, taskQueues } from '../common/names';
import { modelRegistryFor } from '../common/model-registry';
import { installRuntime } from './runtime';
import { TrainingMetrics } from '../activities/training/training-metrics';
import { startWorkerMetrics } from './worker-metrics';

export interface TrainingWorkerOptions {
  connection?: NativeConnection;
  /** Default: the training task queue of common/names.ts. Tests use queues of their own. */
  taskQueue?: string;
  /** Training's metrics, in the registry the worker's /metrics serves; default: metrics nobody serves. */
  metrics?: TrainingMetrics;
}

export async function createTrainingWorker(cfg: Config, options: TrainingWorkerOptions = {}): Promise<{ worker: Worker; connection: NativeConnection }> {
  const conn = options.connection ?? (await NativeConnection.connect({ address: cfg.temporal.address }));
  const log = createLogger('training', cfg);
  const worker = await Worker.create({
    connection: conn,
    namespace: cfg.temporal.namespace,
    taskQueue: options.taskQueue ?? taskQueues.training,
    workflowsPath: require.resolve('../workflows'),
    activities: createTrainingActivities({
      mlflow: createMlflowClient(cfg),
      names: { experiment: cfg.mlflow.experiment, registeredModel: cfg.mlflow.registeredModel, championAlias: mlflowNames.championAlias },
      models: modelRegistryFor(cfg, log),
      hdfs: WebHdfsClient.fromConfig(cfg),
      workDir: cfg.training.hdfsDir,
      failureWebhookUrl: cfg.training.failureWebhookUrl,
      log,
    }, options.metrics),
    // Training is CPU-bound and memory-hungry: one training at a time per worker process.
    maxConcurrentActivityTaskExecutions: 1,
  });
  return { worker, connection: conn };
}

async function main(): Promise<void> {
  const cfg = config();
  const metrics = await startWorkerMetrics('training', cfg);
  installRuntime(cfg, metrics.telemetryOptions);
  const log = createLogger('worker:training', cfg);
  log.info(metrics.url ? `metrics at ${metrics.url}` : 'no metrics served (TRAINING_METRICS_PORT=0)');
  const { worker, connection } = await createTrainingWorker(cfg, { metrics: new TrainingMetrics(metrics.registry) });
  log.info(`polling task queue ${taskQueues.training} on ${cfg.temporal.address} (namespace ${cfg.temporal.namespace})`);
  try {
    await worker.run();
  } finally {
    await connection.close();
    await metrics.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => exitWithError('worker:training', err));
}
