/**
 * `npm run bench:stream -- --workers N`: the stream over 1, then 2, … N scoring workers in the same run,
 * side by side. Each worker is a process of its own (test/fixtures/scoring-worker-process.ts) with its
 * own spool, text file and model cache, as on a machine of its own; the streaming workflow runs one
 * consumer per worker (all in one consumer group), so Kafka spreads the request topic's partitions over
 * them. For each count: sustained throughput over `requests` requests produced as fast as possible,
 * latency at a steady `rate`, and each worker's share of the scored requests (the stats query).
 */
import { collectionNames, outcomeCollectionsBeside } from '../activities/outcomes/outcome-join';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { createMongoClient, database } from '../common/clients/mongo';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { repoRoot, type Config } from '../common/config';
import { ensureStreamingWorkflow, streamStatsQuery } from '../common/contracts/streaming';
import { percentile } from '../common/percentile';
import type { PredictionResult } from '../common/prediction/result';
import { printTable } from './measure';
import { sendAtRate } from './steady-rate';

export interface WorkersFigures {
  workers: number;
  requestsPerSecond: number;
  endToEndSeconds: number;
  p50: number;
  p99: number;
  /** Requests each worker's consumer scored in the throughput phase, by worker identity. */
  scoredByWorker: Record<string, number>;
  partitionsByWorker: Record<string, number[]>;
}

interface Phase {
  kafka: Kafka;
  temporal: TemporalClients;
  cfg: Config;
  env: Record<string, string>;
  request: (phase: string, at: number) => string;
  requests: number;
  rate: number;
  seconds: number;
}

/** The stream with `count` scoring worker processes: topics, group, collection and workflow of its own. */
export async function measureWithWorkers(p: Phase, count: number): Promise<WorkersFigures> {
  const id = `${count}w-${randomUUID().slice(0, 8)}`;
  const names = { request: `bench-req-${id}`, response: `bench-resp-${id}`, deadLetter: `bench-req-${id}.dlq`, resultsCollection: `bench_results_${id.replace(/-/g, '_')}` };
  const taskQueue = `bench-scoring-${id}`;
  const workflowId = `bench-stream-${id}`;
  const admin = p.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [names.request, names.response, names.deadLetter], p.cfg.kafka.topicPartitions);
  const workers: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'scoring-worker-process.ts'), taskQueue, `bench-group-${id}`, names.request, names.response, names.deadLetter, names.resultsCollection],
      { cwd: repoRoot, env: { ...process.env, ...p.env }, stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  );
  const received: { uuid: string; receivedAt: number; requestAt: number }[] = [];
  const reader: Consumer = p.kafka.consumer({ groupId: `bench-reader-${id}`, maxWaitTimeInMs: 100, minBytes: 1 });
  await reader.connect();
  await reader.subscribe({ topic: names.response, fromBeginning: true });
  await reader.run({
    autoCommit: false,
    eachBatch: ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        const r = JSON.parse(m.value!.toString()) as PredictionResult;
        received.push({ uuid: r.UUID, receivedAt: now, requestAt: Date.parse(r.RequestTimestamp ?? '') });
      }
      return Promise.resolve();
    },
  });
  const producer: Producer = p.kafka.producer();
  await producer.connect();
  const send = (values: string[]): Promise<unknown> => producer.send({ topic: names.request, messages: values.map((value) => ({ value })) });
  const handle = p.temporal.client.workflow.getHandle(workflowId);
  const waitUntil = async (probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(20);
    }
  };
  try {
    await ensureStreamingWorkflow(p.temporal.client, { workflowId, taskQueue, consumers: count });
    // Every consumer holds partitions before the clock starts, and the stream is warm.
    await waitUntil(async () => {
      const st = await handle.query(streamStatsQuery);
      return st.consumers.filter((c) => c.partitions.length > 0).length === count && st.consumers.flatMap((c) => c.partitions).length === p.cfg.kafka.topicPartitions;
    }, 120_000, `${count} consumers sharing the partitions`);
    for (let i = 0; i < 5; i++) await send(Array.from({ length: 1000 }, () => p.request('w', Date.now())));
    await waitUntil(() => received.length >= 5000, 120_000, '5,000 warm-up responses');
    process.stderr.write(`  ${count} worker(s): warm; ${p.requests.toLocaleString('en-US')} requests as fast as possible\n`);

    // Throughput.
    const before = await handle.query(streamStatsQuery);
    const start = Date.now();
    const from = received.length;
    for (let sent = 0; sent < p.requests; sent += 1000) await send(Array.from({ length: Math.min(1000, p.requests - sent) }, () => p.request('a', Date.now())));
    await waitUntil(() => received.length - from >= p.requests, 600_000, `${p.requests} responses`);
    const endToEndSeconds = (Math.max(...received.slice(from).map((r) => r.receivedAt)) - start) / 1000;
    await sleep(6000); // a stats report from every consumer after the phase
    const after = await handle.query(streamStatsQuery);
    const scoredByWorker: Record<string, number> = {};
    const partitionsByWorker: Record<string, number[]> = {};
    for (const c of after.consumers) {
      const was = before.consumers.find((b) => b.activityId === c.activityId)?.scored ?? 0;
      scoredByWorker[c.worker ?? c.activityId] = (scoredByWorker[c.worker ?? c.activityId] ?? 0) + c.scored - was;
      partitionsByWorker[c.worker ?? c.activityId] = c.partitions;
    }

    // Latency at a steady rate.
    process.stderr.write(`  ${count} worker(s): ${p.rate} requests/s for ${p.seconds} s\n`);
    const latencyFrom = received.length;
    const { sent } = await sendAtRate((n) => send(Array.from({ length: n }, () => p.request('b', Date.now()))), p.rate, p.seconds);
    await waitUntil(() => received.length - latencyFrom >= sent, 60_000, `${sent} latency-phase responses`);
    const e2e = received
      .slice(latencyFrom)
      .filter((r) => r.uuid.startsWith('b-'))
      .map((r) => r.receivedAt - r.requestAt)
      .sort((a, b) => a - b);
    return {
      workers: count,
      requestsPerSecond: Math.round(p.requests / endToEndSeconds),
      endToEndSeconds,
      p50: percentile(e2e, 50)!,
      p99: percentile(e2e, 99)!,
      scoredByWorker,
      partitionsByWorker,
    };
  } finally {
    await handle.terminate('bench over').catch(() => undefined);
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.exitCode !== null ? Promise.resolve() : new Promise((r) => w.once('exit', r)))));
    await reader.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [names.request, names.response, names.deadLetter] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    const mongo = await createMongoClient(p.cfg);
    for (const c of [names.resultsCollection, ...collectionNames(outcomeCollectionsBeside(names.resultsCollection))]) await database(mongo, p.cfg).collection(c).drop().catch(() => undefined);
    await mongo.close();
  }
}

/** --workers N: 1 … N scoring worker processes, side by side in one run (bench/stream-workers.ts). */
export async function compareWorkers(
  cfg: Config,
  env: Record<string, string>,
  request: (phase: string, at: number) => string,
  o: { requests: number; rate: number; seconds: number; workers: number },
): Promise<void> {
  if (!(Number.isInteger(o.workers) && o.workers >= 1)) throw new Error(`--workers: expected a whole number of at least 1, got ${o.workers}`);
  const kafka = createKafka(cfg, 'bench-stream-workers');
  const temporal = await connectTemporal(cfg);
  const figures: WorkersFigures[] = [];
  try {
    for (let count = 1; count <= o.workers; count++) {
      figures.push(await measureWithWorkers({ kafka, temporal, cfg, env, request, requests: o.requests, rate: o.rate, seconds: o.seconds }, count));
    }
  } finally {
    await closeTemporal(temporal);
  }
  const one = figures[0]!;
  process.stdout.write(`\nThe stream over 1 … ${o.workers} scoring workers (processes of their own; ${cfg.kafka.topicPartitions} partitions)\n\n`);
  printTable(
    figures.map((f) => ({
      'scoring workers': f.workers,
      [`requests/s over ${o.requests.toLocaleString('en-US')}`]: f.requestsPerSecond,
      'end-to-end s': Math.round(f.endToEndSeconds * 10) / 10,
      'speed-up': `${(f.requestsPerSecond / one.requestsPerSecond).toFixed(2)} ×`,
      [`p50 ms at ${o.rate}/s`]: f.p50,
      [`p99 ms at ${o.rate}/s`]: f.p99,
      "each worker's share (partitions)": Object.entries(f.scoredByWorker)
        .map(([w, n], _, all) => `${Math.round((n / all.reduce((sum, [, m]) => sum + m, 0)) * 100)} % (${(f.partitionsByWorker[w] ?? []).join(',')})`)
        .join(' / '),
    })),
  );
}
