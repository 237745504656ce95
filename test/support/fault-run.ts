/**
 * A realtime stream of its own for the fault tests: topics, consumer group, collection, task queue and
 * workflow id unique to the run, the real scoring worker in processes of its own (started on demand, so
 * a test can SIGKILL one), a producer that survives a broker restart, progress read from the consumer
 * group's commits, and the final check: every request exactly once in MongoDB and at least once on the
 * response topic.
 */
import { outcomeCollectionsBeside } from '../../activities/outcomes/outcome-join';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, Producer } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import { createKafka, ensureTopics } from '../../common/clients/kafka';
import { createMongoClient, database } from '../../common/clients/mongo';
import { closeTemporal, connectTemporal, type TemporalClients } from '../../common/clients/temporal';
import { WebHdfsClient } from '../../common/clients/webhdfs';
import { loadConfig, repoRoot, type Config } from '../../common/config';
import type { PredictionResult } from '../../common/prediction/result';
import { promoteSmallChampion } from './small-champion';
import { trainingTestSettings } from './training';
import { waitFor } from './wait-for';

const produceBatch = 5_000;
const fixture = join(repoRoot, 'test', 'fixtures', 'scoring-worker-process.ts');

export interface FaultRunContext {
  kafka: Kafka;
  mongo: MongoClient;
  temporal: TemporalClients;
  cfg: Config;
  /** The environment of the worker processes (beyond this process's own). */
  env: Record<string, string>;
  /** Where the worker processes' logs go. */
  workDir: string;
}

export type FaultRun = Awaited<ReturnType<typeof openFaultRun>>;

/** 100,000 requests by default, as asked of the stream; STREAM_FAULT_REQUESTS changes it. */
export const faultRequests = Number(process.env.STREAM_FAULT_REQUESTS ?? 100_000);
/** The fault strikes once the stream has committed (so stored in every sink) this many requests. */
export const strikeAt = Math.max(1, Math.min(2_000, Math.floor(faultRequests / 20)));
/** Time to wait for all results after the fault: two minutes plus 5 ms a request (the stream does 5,000/s on 2 cores). */
export const completeMs = 120_000 + faultRequests * 5;

/**
 * The clients, settings and small champion (5 trees on 20,000 flights, in a model store of the run's
 * own) that the fault runs share; `close` also removes the run's HDFS folder.
 */
export async function openFaultContext(label: string): Promise<FaultRunContext & { hdfsDir: string; close(): Promise<void> }> {
  const settings = trainingTestSettings(label);
  const workDir = mkdtempSync(join(tmpdir(), `${label}-`));
  const hdfsDir = `/tmp/test-${label}-${randomUUID().slice(0, 8)}`;
  const env = { ...settings.env, PREDICTIONS_HDFS_DIR: hdfsDir };
  const cfg: Config = loadConfig({ ...process.env, ...env });
  await promoteSmallChampion(cfg);
  const kafka = createKafka(cfg, `${label}-test`);
  const mongo = await createMongoClient(cfg);
  const temporal = await connectTemporal(cfg);
  return {
    kafka, mongo, temporal, cfg, env, workDir, hdfsDir,
    async close() {
      await closeTemporal(temporal);
      await mongo.close();
      await WebHdfsClient.fromConfig(cfg).delete(hdfsDir, { recursive: true }).catch(() => undefined);
    },
  };
}

/** One stream of its own: topics, consumer group, collection, task queue and workflow id; worker processes on demand. */
export async function openFaultRun(ctx: FaultRunContext, label: string) {
  const { kafka, mongo, temporal, cfg, env, workDir } = ctx;
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  const names = { request: `test-req-${id}`, response: `test-resp-${id}`, deadLetter: `test-req-${id}.dlq`, resultsCollection: `test_results_${id.replace(/-/g, '_')}` };
  const taskQueue = `scoring-faults-${id}`;
  const consumerGroup = `test-group-${id}`;
  const workflowId = `test-stream-faults-${id}`;
  const workers: ChildProcess[] = [];
  const logFiles: string[] = [];

  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [names.request, names.response, names.deadLetter], 3);
  await admin.disconnect();

  let producer: Producer = kafka.producer();
  await producer.connect();

  /** A scoring worker process; `extra` adds settings to its environment. */
  const startWorker = (extra: Record<string, string> = {}): ChildProcess => {
    const logFile = join(workDir, `${id}-worker-${workers.length + 1}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fixture, taskQueue, consumerGroup, names.request, names.response, names.deadLetter, names.resultsCollection],
      { cwd: repoRoot, env: { ...process.env, ...env, ...extra }, stdio: ['ignore', fd, fd] },
    );
    closeSync(fd);
    workers.push(child);
    logFiles.push(logFile);
    return child;
  };

  /** Sends the requests in batches; a send that fails (the broker is away) is retried on a new producer. */
  const produce = async (uuids: readonly string[]): Promise<void> => {
    for (let i = 0; i < uuids.length; i += produceBatch) {
      const messages = uuids.slice(i, i + produceBatch).map((u, j) => ({ value: JSON.stringify(request(u, i + j)) }));
      for (let attempt = 1; ; attempt++) {
        try {
          await producer.send({ topic: names.request, acks: -1, messages });
          break;
        } catch (err) {
          if (attempt >= 10) throw err;
          await producer.disconnect().catch(() => undefined);
          await sleep(2000);
          producer = kafka.producer();
          await producer.connect().catch(() => undefined);
        }
      }
    }
  };

  const results = () => database(mongo, cfg).collection<PredictionResult>(names.resultsCollection);
  /**
   * Requests the stream has committed: offsets are committed only after every sink (MongoDB first
   * of all) accepted their batch. Progress is read from Kafka because counting a large collection
   * costs FerretDB some 15 s per 100,000 documents, which would slow the very stream under test.
   */
  const committed = async (): Promise<number> => {
    const a = kafka.admin();
    await a.connect();
    try {
      const [offsets] = await a.fetchOffsets({ groupId: consumerGroup, topics: [names.request] });
      return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await a.disconnect();
    }
  };

  const close = async (): Promise<void> => {
    await temporal.client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await producer.disconnect().catch(() => undefined);
    const a = kafka.admin();
    await a.connect().catch(() => undefined);
    await a.deleteTopics({ topics: [names.request, names.response, names.deadLetter] }).catch(() => undefined);
    await a.disconnect().catch(() => undefined);
    await results().drop().catch(() => undefined);
    for (const c of Object.values(outcomeCollectionsBeside(names.resultsCollection))) await database(mongo, cfg).collection(c).drop().catch(() => undefined);
  };

  const workerLogs = (): string => logFiles.map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`).join('\n');

  /** Waits until the stream committed every request, then checks exactly once in MongoDB and at least once on the response topic. */
  const assertComplete = async (uuids: readonly string[], timeoutMs: number): Promise<void> => {
    try {
      await waitFor(async () => ((await committed()) >= uuids.length ? true : undefined), timeoutMs, `${uuids.length} requests committed`);
    } catch (err) {
      throw new Error(`${(err as Error).message} (have ${await committed().catch(() => '?')})\n${workerLogs()}`);
    }
    // One read of the whole collection: the count and the distinct UUIDs come from it.
    const stored: string[] = [];
    for await (const doc of results().find({}, { projection: { UUID: 1, _id: 0 }, batchSize: 20_000 })) stored.push(doc.UUID);
    const distinct = new Set(stored);
    assert.equal(stored.length, uuids.length, 'one document per request');
    assert.equal(distinct.size, uuids.length, 'distinct UUIDs in MongoDB');
    assert.equal(uuids.filter((u) => !distinct.has(u)).length, 0, 'every request in MongoDB');
    const keys = await readKeys(kafka, names.response, new Set(uuids), 120_000);
    assert.equal(uuids.filter((u) => !keys.seen.has(u)).length, 0, 'every request on the response topic');
    console.log(`# ${label}: response topic held ${keys.messages} messages for ${uuids.length} requests (${keys.messages - uuids.length} duplicates)`);
  };

  return { names, workflowId, taskQueue, consumerGroup, startWorker, produce, committed, close, assertComplete, workerLogs };
}

export function request(uuid: string, i: number): Record<string, unknown> {
  return { UUID: uuid, Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: (i % 90) - 20, Distance: 2475, FlightDate: '2013-07-04', FlightNum: String(i % 1000) };
}

/** Reads a topic from the beginning with a fresh consumer group until its keys cover `wanted`. */
export async function readKeys(kafka: Kafka, topic: string, wanted: Set<string>, timeoutMs: number): Promise<{ seen: Set<string>; messages: number }> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set<string>();
  let messages = 0;
  let missing = wanted.size;
  await consumer.run({
    eachBatch: ({ batch }) => {
      for (const m of batch.messages) {
        messages += 1;
        const key = m.key?.toString();
        if (key !== undefined && !seen.has(key)) {
          seen.add(key);
          if (wanted.has(key)) missing -= 1;
        }
      }
      return Promise.resolve();
    },
  });
  try {
    await waitFor(() => Promise.resolve(missing === 0 ? true : undefined), timeoutMs, `every key on ${topic}`).catch(() => undefined);
  } finally {
    await consumer.disconnect();
  }
  return { seen, messages };
}

export const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
