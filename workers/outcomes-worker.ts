/**
 * The outcomes worker: polls the outcomes task queue and runs the actuals' join (joinFlightActuals and
 * its long-running consumeActuals), which it makes sure is running, and the scheduled monitoring
 * (monitorFlightDelayModels every MONITOR_INTERVAL_MINUTES), whose schedule it creates or updates. The scoring worker's process hosts
 * one (npm start); `npm run worker:outcomes` runs one on its own.
 */
import { Worker } from '@temporalio/worker';
import { createOutcomeActivities, type OutcomeDeps } from '../activities/outcomes';
import { createKafka } from '../common/clients/kafka';
import { config, type Config } from '../common/config';
import { ensureActualsJoinWorkflow } from '../common/contracts/actuals-join';
import { createLogger, exitWithError } from '../common/logger';
import { taskQueues } from '../common/names';
import { installRuntime } from './runtime';
import { modelRegistryFor } from '../common/model-registry';
import { createMlflowClient } from '../common/clients/mlflow';
import { connectWorkerClients, type ClientWorker } from './worker-clients';
import { monitoringSchedule, upsertSchedule } from './schedules';
import { createMonitoringActivities } from '../activities/monitoring';
import { MonitorMetrics } from '../activities/monitoring/monitor-metrics';
import type { Registry } from 'prom-client';
import { startWorkerMetrics } from './worker-metrics';

export interface OutcomesWorkerOptions {
  /** Default: the outcomes task queue of common/names.ts. Tests use queues of their own. */
  taskQueue?: string;
  /** Topics and collections of the join; default common/names.ts. */
  names?: OutcomeDeps['names'];
  /** Default: ACTUALS_CONSUMER_GROUP. */
  consumerGroup?: string;
  /** Default: model_monitoring. */
  monitoringCollection?: string;
  /** Default: model_events. */
  eventsCollection?: string;
  /** Default: RETRAIN_* of the config. */
  retraining?: Config['actuals']['retraining'];
  /** Where the monitor's retraining runs; default: the training task queue, workflow id flight-delay-retraining. */
  retrainingQueue?: string;
  retrainingWorkflowId?: string;
  /** The registry of the process's /metrics, where the monitor's gauges go; default: none. */
  metricsRegistry?: Registry;
}

export type OutcomesWorker = ClientWorker;

export async function createOutcomesWorker(cfg: Config, options: OutcomesWorkerOptions = {}): Promise<OutcomesWorker> {
  const log = createLogger('outcomes', cfg);
  const clients = await connectWorkerClients(cfg);
  const { mongo, connection, identity } = clients;
  const worker = await Worker.create({
    connection,
    identity,
    namespace: cfg.temporal.namespace,
    taskQueue: options.taskQueue ?? taskQueues.outcomes,
    workflowsPath: require.resolve('../workflows'),
    activities: {
      ...createMonitoringActivities({
        get db() {
          return mongo.db;
        },
        log,
        models: modelRegistryFor(cfg, log),
        mlflow: { client: createMlflowClient(cfg), registeredModel: cfg.mlflow.registeredModel, experiment: cfg.mlflow.experiment },
        collections: { outcomes: options.names?.collections?.outcomes, monitoring: options.monitoringCollection, events: options.eventsCollection },
        ...(options.metricsRegistry ? { metrics: new MonitorMetrics(options.metricsRegistry) } : {}),
        policies: { promotion: cfg.actuals.promotion, retraining: options.retraining ?? cfg.actuals.retraining },
        ...(options.retrainingQueue ? { retraining: { taskQueue: options.retrainingQueue, workflowId: options.retrainingWorkflowId } } : {}),
      }),
      ...createOutcomeActivities({
        kafka: createKafka(cfg, 'outcomes'),
        get db() {
          return mongo.db;
        },
        log,
        workerIdentity: identity,
        settings: { consumerGroup: options.consumerGroup ?? cfg.actuals.consumerGroup, topicPartitions: cfg.kafka.topicPartitions },
        ...(options.names ? { names: options.names } : {}),
      }),
    },
  });
  return { worker, temporal: clients.temporal, close: () => clients.close() };
}

/**
 * Creates the worker, makes sure the actuals' join runs and the monitoring schedule exists; resolves with
 * the worker, the join's run id and what became of the schedule.
 */
export async function startOutcomesWorker(cfg: Config, metricsRegistry?: Registry): Promise<{ outcomes: OutcomesWorker; joinRunId: string; schedule: string }> {
  const outcomes = await createOutcomesWorker(cfg, metricsRegistry ? { metricsRegistry } : {});
  const joinRunId = await ensureActualsJoinWorkflow(outcomes.temporal.client);
  const schedule = await upsertSchedule(outcomes.temporal.client, monitoringSchedule(cfg));
  return { outcomes, joinRunId, schedule };
}

async function main(): Promise<void> {
  const cfg = config();
  const metrics = await startWorkerMetrics('outcomes', cfg);
  installRuntime(cfg, metrics.telemetryOptions);
  const log = createLogger('worker:outcomes', cfg);
  log.info(metrics.url ? `metrics at ${metrics.url}` : 'no metrics served (OUTCOMES_METRICS_PORT=0)');
  const { outcomes, joinRunId, schedule } = await startOutcomesWorker(cfg, metrics.registry);
  log.info(`polling ${taskQueues.outcomes}; actuals' join running (run ${joinRunId}); ${schedule}`);
  try {
    await outcomes.worker.run();
  } finally {
    await outcomes.close();
    await metrics.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => exitWithError('worker:outcomes', err));
}
