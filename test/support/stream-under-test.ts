import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Kafka } from 'kafkajs';
import type { Collection, MongoClient } from 'mongodb';
import { createKafka, ensureTopics } from '../../common/clients/kafka';
import { createMongoClient, database } from '../../common/clients/mongo';
import { loadConfig, type Config } from '../../common/config';
import { mongoNames } from '../../common/names';
import { createApi, type Api, type ApiOptions } from '../../api/app';
import type { ModelRegistry } from '../../common/model-registry';
import { promoteSmallChampion } from './small-champion';
import { createScoringWorker, type ScoringWorker } from '../../workers/scoring-worker';
import { ensureStreamingWorkflow } from '../../common/contracts/streaming';
import { trainingTestSettings } from './training';
import { waitFor } from './wait-for';
import type { OutcomeCollections } from '../../activities/outcomes/outcome-join';

export interface StreamUnderTest {
  cfg: Config;
  names: { request: string; response: string; deadLetter: string; resultsCollection: string; outcomes: OutcomeCollections };
  workflowId: string;
  kafka: Kafka;
  mongo: MongoClient;
  registry: ModelRegistry;
  scoring: ScoringWorker;
  /** Terminates the workflow, stops the worker, deletes the topics and the collection. */
  stop(): Promise<void>;
}

/**
 * A realtime stream of its own on the real stack: a small champion (5 trees on 20,000 flights) in a
 * registered model of its own (a small champion), topics, collection, consumer group, task queue and workflow id unique to the
 * run, and the scoring worker running in this process.
 */
export async function startStreamUnderTest(label: string, env: Record<string, string> = {}): Promise<StreamUnderTest> {
  const settings = trainingTestSettings(label);
  const workDir = mkdtempSync(join(tmpdir(), `${label}-`));
  const id = randomUUID().slice(0, 8);
  const cfg = loadConfig({
    ...process.env,
    ...settings.env,
    STREAM_SPOOL_DIR: join(workDir, 'spool'),
    STREAM_TEXT_FILE: join(workDir, 'responses.txt'),
    PREDICTIONS_HDFS_DIR: `/tmp/test-${label}-${id}`,
    ...env,
  });
  const names = {
    request: `test-req-${id}`,
    response: `test-resp-${id}`,
    deadLetter: `test-req-${id}.dlq`,
    resultsCollection: `test_results_${id}`,
    outcomes: { actuals: `test_actuals_${id}`, predictions: `test_flight_predictions_${id}`, outcomes: `test_outcomes_${id}` },
  };
  const workflowId = `test-${label}-${id}`;
  const { registry } = await promoteSmallChampion(cfg);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const kafka = createKafka(cfg, `${label}-test`);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [names.request, names.response, names.deadLetter], 3);
  await admin.disconnect();
  const mongo = await createMongoClient(cfg);
  const taskQueue = `scoring-${label}-${id}`;
  const scoring = await createScoringWorker(cfg, { taskQueue, names, consumerGroup: `test-group-${id}` });
  const running = scoring.worker.run();
  await ensureStreamingWorkflow(scoring.temporal.client, { workflowId, taskQueue });
  await warmUp(kafka, database(mongo, cfg).collection<{ _id: string }>(names.resultsCollection), names.request);

  const stop = async (): Promise<void> => {
    await scoring.temporal.client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    scoring.worker.shutdown();
    await running;
    await scoring.close();
    const a = kafka.admin();
    await a.connect();
    await a.deleteTopics({ topics: [names.request, names.response, names.deadLetter] }).catch(() => undefined);
    await a.disconnect();
    for (const c of [names.resultsCollection, ...Object.values(names.outcomes)]) await database(mongo, cfg).collection(c).drop().catch(() => undefined);
    await mongo.close();
  };
  return { cfg, names, workflowId, kafka, mongo, registry, scoring, stop };
}

/**
 * Returns once the stream answers: the activity has started, its consumer has joined the group and a
 * request went all the way to MongoDB. Tests that time a prediction then measure the stream, not its start.
 */
async function warmUp(kafka: Kafka, results: Collection<{ _id: string }>, requestTopic: string): Promise<void> {
  const uuid = `warm-up-${randomUUID()}`;
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic: requestTopic,
      messages: [{ value: JSON.stringify({ UUID: uuid, Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: 0, FlightDate: '2013-07-04' }) }],
    });
  } finally {
    await producer.disconnect();
  }
  await waitFor(async () => (await results.findOne({ _id: uuid })) !== null, 60_000, 'the warm-up request in MongoDB');
}

/**
 * The API on its own port of 127.0.0.1, wired to a StreamUnderTest (its topics, collection, registered
 * model and workflow); `env` adds settings (API_KEY, API_BODY_LIMIT, …).
 */
export async function startApiUnderTest(
  stream: StreamUnderTest,
  env: Record<string, string> = {},
  options: Pick<ApiOptions, 'batch' | 'trainingTaskQueue'> = {},
): Promise<{ api: Api; base: string; server: Server }> {
  const cfg = loadConfig({ ...process.env, MLFLOW_EXPERIMENT: stream.cfg.mlflow.experiment, MLFLOW_REGISTERED_MODEL: stream.cfg.mlflow.registeredModel, LOG_LEVEL: 'warn', ...env });
  return listenApi(cfg, stream.names, stream.workflowId, options);
}

/** The API on a port of its own of 127.0.0.1, reading and writing a stream's topics and collection. */
export async function listenApi(
  cfg: Config,
  names: { request: string; response: string; resultsCollection: string },
  streamingWorkflowId: string,
  options: Pick<ApiOptions, 'batch' | 'trainingTaskQueue'> = {},
): Promise<{ api: Api; base: string; server: Server }> {
  const api = await createApi(cfg, {
    names: { request: names.request, response: names.response, actuals: `${names.request}-actuals`, resultsCollection: names.resultsCollection, distancesCollection: mongoNames.distances },
    streamingWorkflowId,
    ...options,
  });
  await api.app.listen(0, '127.0.0.1');
  const server: Server = api.app.getHttpServer();
  return { api, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
