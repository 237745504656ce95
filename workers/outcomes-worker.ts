/**
 * The outcomes worker: polls the outcomes task queue and runs the actuals' join (joinFlightActuals and
 * its long-running consumeActuals), which it makes sure is running. The scoring worker's process hosts
 * one (npm start); `npm run worker:outcomes` runs one on its own.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { hostname } from 'node:os';
import { createOutcomeActivities, type OutcomeDeps } from '../activities/outcomes';
import { createKafka } from '../common/clients/kafka';
import { RenewableMongo } from '../common/clients/mongo';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { config, type Config } from '../common/config';
import { ensureActualsJoinWorkflow } from '../common/contracts/actuals-join';
import { createLogger, exitWithError } from '../common/logger';
import { taskQueues } from '../common/names';
import { installRuntime } from './runtime';

export interface OutcomesWorkerOptions {
  /** Default: the outcomes task queue of common/names.ts. Tests use queues of their own. */
  taskQueue?: string;
  /** Topics and collections of the join; default common/names.ts. */
  names?: OutcomeDeps['names'];
  /** Default: ACTUALS_CONSUMER_GROUP. */
  consumerGroup?: string;
}

export interface OutcomesWorker {
  worker: Worker;
  temporal: TemporalClients;
  close(): Promise<void>;
}

export async function createOutcomesWorker(cfg: Config, options: OutcomesWorkerOptions = {}): Promise<OutcomesWorker> {
  const log = createLogger('outcomes', cfg);
  const mongo = await RenewableMongo.connect(cfg);
  const temporal = await connectTemporal(cfg);
  const connection = await NativeConnection.connect({ address: cfg.temporal.address });
  const identity = `${process.pid}@${hostname()}`;
  const worker = await Worker.create({
    connection,
    identity,
    namespace: cfg.temporal.namespace,
    taskQueue: options.taskQueue ?? taskQueues.outcomes,
    workflowsPath: require.resolve('../workflows'),
    activities: createOutcomeActivities({
      kafka: createKafka(cfg, 'outcomes'),
      get db() {
        return mongo.db;
      },
      log,
      workerIdentity: identity,
      settings: { consumerGroup: options.consumerGroup ?? cfg.actuals.consumerGroup, topicPartitions: cfg.kafka.topicPartitions },
      ...(options.names ? { names: options.names } : {}),
    }),
  });
  return {
    worker,
    temporal,
    async close() {
      await connection.close();
      await closeTemporal(temporal);
      await mongo.close();
    },
  };
}

/** Creates the worker and makes sure the actuals' join runs; resolves with the worker and the join's run id. */
export async function startOutcomesWorker(cfg: Config): Promise<{ outcomes: OutcomesWorker; joinRunId: string }> {
  const outcomes = await createOutcomesWorker(cfg);
  const joinRunId = await ensureActualsJoinWorkflow(outcomes.temporal.client);
  return { outcomes, joinRunId };
}

async function main(): Promise<void> {
  const cfg = config();
  installRuntime(cfg);
  const log = createLogger('worker:outcomes', cfg);
  const { outcomes, joinRunId } = await startOutcomesWorker(cfg);
  log.info(`polling ${taskQueues.outcomes}; actuals' join running (run ${joinRunId})`);
  try {
    await outcomes.worker.run();
  } finally {
    await outcomes.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => exitWithError('worker:outcomes', err));
}
