/**
 * npm run bench:api — predict-and-wait through the API on the local stack (npm run stack -- up):
 * POST /api/predictions?wait=… to the API (in a process of its own, as `npm run api` runs it) → Kafka →
 * the streaming workflow's scoring activity (the real worker, in a process of its own) → response topic →
 * the API's result hub → 200 with the result.
 * autocannon (its own process) sends at a steady rate with many connections and reports the latency
 * percentiles of the whole round trip, errors and non-2xx answers (a 202 means the result did not come
 * within ?wait).
 * Beside it, in the same run and at the same rate, the Kafka two-hop floor (bench/kafka-floor.ts), and
 * for each the share of the machine's CPU that was busy (the answer's tail follows the machine's load).
 * Targets (2-core machine): p99 under 50 ms at 500 requests/s, no errors; p99 ≤ 2 × the floor.
 * Options: --rate R (default 500), --seconds S (default 20), --connections C (default 50), --wait MS (default 5000).
 */
import { collectionNames, outcomeCollectionsBeside } from '../activities/outcomes/outcome-join';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { connectTemporal, closeTemporal } from '../common/clients/temporal';
import { createMongoClient, database } from '../common/clients/mongo';
import { loadConfig, repoRoot } from '../common/config';
import { mongoNames } from '../common/names';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import type { LoopDelayReport } from '../test/fixtures/api-process';
import { percentile } from '../common/percentile';
import { resultHubMaxWaitMs } from '../api/predictions/result-hub';
import { percentilesBetween } from './histogram-delta';
import { measureKafkaFloor } from './kafka-floor';
import { numberArg, printTable, seconds } from './measure';
import { busyShare, machineCpuTicks } from './server-cpu';
import { responseReadCost, responsesRead } from './response-read-cost';
import { benchModelEnv, prepareModelAndRequests, removeBenchModel } from './seed-model';

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; p99_9?: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats?: Record<string, { count: number }>;
  duration: number;
}

/** Runs the autocannon CLI in its own process (so the load generator does not share this event loop) and parses its JSON. */
function autocannon(args: string[]): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'node_modules', 'autocannon', 'autocannon.js'), '-j', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as AutocannonResult);
      } catch (err) {
        reject(new Error(`autocannon printed no JSON: ${(err as Error).message}: ${out.slice(0, 200)}`));
      }
    });
  });
}

interface ProbeTimes {
  toApi: number;
  apiToScored: number;
  scoredToClient: number;
  total: number;
}

/**
 * A few requests of its own among autocannon's (10 a second, from this process): each answer carries
 * the time the API took the request (RequestTimestamp) and the time it was scored (ScoredAt), so every
 * probe splits into client → API, API → scored (publish, the request topic, fetch, score) and scored →
 * client (the response topic, the API's result hub, the HTTP answer). One clock: all on this machine.
 */
async function probeHops(url: string, body: string, seconds: number): Promise<ProbeTimes[]> {
  const times: ProbeTimes[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const sentAt = Date.now();
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const receivedAt = Date.now();
    if (res.status === 200) {
      const { result: r } = (await res.json()) as { result: { RequestTimestamp: string; ScoredAt: string } };
      const takenAt = Date.parse(r.RequestTimestamp);
      const scoredAt = Date.parse(r.ScoredAt);
      times.push({ toApi: takenAt - sentAt, apiToScored: scoredAt - takenAt, scoredToClient: receivedAt - scoredAt, total: receivedAt - sentAt });
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - sentAt))));
  }
  return times;
}

function probeRows(probes: ProbeTimes[]): Record<string, string | number>[] {
  const row = (what: string, pick: (p: ProbeTimes) => number): Record<string, string | number> => {
    const v = probes.map(pick).sort((a, b) => a - b);
    return { case: `  probe: ${what}`, requests: v.length, 'p50 ms': percentile(v, 50) ?? 'n/a', 'p90 ms': percentile(v, 90) ?? 'n/a', 'p99 ms': percentile(v, 99) ?? 'n/a', 'max ms': v[v.length - 1] ?? 'n/a' };
  };
  return [
    row('whole round trip', (p) => p.total),
    row('client → taken by the API', (p) => p.toApi),
    row('taken → scored (publish, request topic, fetch, score)', (p) => p.apiToScored),
    row('scored → answered (response topic, result hub, HTTP)', (p) => p.scoredToClient),
  ];
}

/**
 * The hops the API itself times, from its /metrics before and after the load (bucket upper bounds):
 * the HTTP request inside the API, and a request's Timestamp (set when the API took it) → its result
 * reaching the API (publish, the stream, the response hop). The rest of autocannon's figure is the
 * client and the connection.
 */
function hopRows(before: string, after: string): Record<string, string | number>[] {
  const row = (what: string, name: string, labels: string): Record<string, string | number> => {
    const { count, values, mean } = percentilesBetween(before, after, name, labels, [50, 90, 99]);
    const ms = (s: number | undefined) => (s === undefined || Number.isNaN(s) ? 'n/a' : s === Infinity ? '> 10 s' : `≤ ${s * 1000}`);
    return { case: `  ${what} (API's histogram)`, requests: count, 'p50 ms': ms(values[0]), 'p90 ms': ms(values[1]), 'p99 ms': ms(values[2]), 'mean ms': mean * 1000 };
  };
  return [
    row('HTTP request inside the API', 'flight_delay_http_request_duration_seconds', 'route="/api/predictions"'),
    row('taken by the API → result back at the API', 'flight_delay_prediction_latency_seconds', ''),
  ];
}

async function main(): Promise<void> {
  const rate = numberArg('rate', 500);
  const durationS = numberArg('seconds', 20);
  const connections = numberArg('connections', 50);
  const waitMs = numberArg('wait', 5000);
  process.env.LOG_LEVEL ??= 'warn';
  const id = randomUUID().slice(0, 8);
  const workDir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const env = {
    ...process.env,
    MODEL_STORE_DIR: join(workDir, 'model-store'),
    ...benchModelEnv(id),
    PREDICTIONS_HDFS_DIR: `/tmp/bench-api-${id}`,
    API_RATE_LIMIT_PER_MINUTE: String(rate * 60 * 10),
    LOG_LEVEL: 'warn',
  };
  const cfg = loadConfig(env);
  const names = { request: `bench-api-req-${id}`, response: `bench-api-resp-${id}`, deadLetter: `bench-api-req-${id}.dlq`, resultsCollection: `bench_api_results_${id}` };
  const workflowId = `bench-api-stream-${id}`;
  const taskQueue = `bench-api-scoring-${id}`;

  let t = performance.now();
  const { accuracy } = await prepareModelAndRequests(cfg, 1);
  process.stderr.write(`model trained and promoted in ${seconds(t).toFixed(1)} s (accuracy ${accuracy.toFixed(3)})\n`);

  const kafka = createKafka(cfg, 'bench-api');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [names.request, names.response, names.deadLetter], cfg.kafka.topicPartitions);
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'scoring-worker-process.ts'), taskQueue, `bench-api-group-${id}`, names.request, names.response, names.deadLetter, names.resultsCollection],
    { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const temporal = await connectTemporal(cfg);
  await ensureStreamingWorkflow(temporal.client, { workflowId, taskQueue });
  // The API in a process of its own, as `npm run api` runs it: its event loop and heap are not the bench's.
  const api = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'api-process.ts'), workflowId, names.request, names.response, names.resultsCollection, mongoNames.distances],
    { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const fromApi = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: unknown): void => {
        if (typeof m === 'object' && m !== null && key in m) {
          api.off('exit', onExit);
          api.off('message', onMessage);
          resolve((m as Record<string, T>)[key]!);
        }
      };
      const onExit = (code: number | null): void => reject(new Error(`the API process exited with ${code}`));
      api.on('message', onMessage);
      api.once('exit', onExit);
    });
  const port = await fromApi<number>('port');
  const url = `http://127.0.0.1:${port}/api/predictions?wait=${waitMs}`;
  const body = JSON.stringify({ DepDelay: 5, Carrier: 'AA', FlightDate: '2016-12-25', Origin: 'ATL', Dest: 'SFO', FlightNum: '1519' });
  const common = ['-m', 'POST', '-H', 'Content-Type=application/json', '-b', body];
  try {
    // Warm-up: the worker starts, joins its group and loads the model; JIT and connections warm.
    t = performance.now();
    for (let ok = false; !ok && seconds(t) < 120; ) {
      const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      ok = r.status === 200;
    }
    await autocannon([...common, '-c', '10', '-R', String(Math.min(rate, 200)), '-d', '5', url]);
    process.stderr.write(`stack warm in ${seconds(t).toFixed(1)} s; measuring ${rate} requests/s for ${durationS} s over ${connections} connections\n`);

    const scrape = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const metricsBefore = await scrape();
    api.send('loop-delay:start');
    const cpuAtStart = machineCpuTicks();
    const probing = probeHops(url, body, durationS);
    const r = await autocannon([...common, '-c', String(connections), '-R', String(rate), '-d', String(durationS), url]);
    const probes = await probing;
    const loopDelayReported = fromApi<LoopDelayReport>('loopDelay');
    api.send('loop-delay:stop');
    const loopDelay = await loopDelayReported;
    const loadBusy = busyShare(cpuAtStart, machineCpuTicks());
    const metricsAfter = await scrape();
    const timedOut = r.statusCodeStats?.['202']?.count ?? 0;
    // The floor of the same run: the two Kafka hops alone (the stream's fetch wait, the result hub's).
    process.stderr.write(`measuring the Kafka two-hop floor at ${rate} messages/s for ${durationS} s\n`);
    const cpuAtFloor = machineCpuTicks();
    const floor = await measureKafkaFloor(kafka, {
      rate,
      seconds: durationS,
      partitions: cfg.kafka.topicPartitions,
      echoMaxWaitMs: cfg.stream.batchMaxWaitMs,
      readerMaxWaitMs: resultHubMaxWaitMs,
    });
    const floorBusy = busyShare(cpuAtFloor, machineCpuTicks());
    const floorP99 = percentile(floor, 99)!;
    // What an API instance pays for every response, its own clients' or not: each instance reads the whole response topic.
    process.stderr.write(`measuring the API's CPU per response read (${responsesRead.toLocaleString('en-US')} results on the response topic, no HTTP)\n`);
    const perResponse = await responseReadCost(kafka, names.response, api.pid!, `http://127.0.0.1:${port}/metrics`);
    printTable([
      {
        case: `predict-and-wait at ${rate} requests/s for ${durationS} s`,
        requests: r.requests.total,
        'requests/s': Math.round(r.requests.average),
        'p50 ms': r.latency.p50,
        'p90 ms': r.latency.p90,
        'p99 ms': r.latency.p99,
        'max ms': r.latency.max,
        'mean ms': r.latency.average,
        errors: r.errors + r.timeouts,
        'non-2xx': r.non2xx,
        '202 (no result within wait)': timedOut,
        'machine CPU busy': `${Math.round(loadBusy * 100)} %`,
        target: `p99 ≤ 2 × floor: ${(r.latency.p99 / floorP99).toFixed(2)} ×`,
      },
      ...probeRows(probes),
      {
        case: "  the API process's event-loop delay during the load",
        requests: loopDelay.samples,
        'p50 ms': loopDelay.p50,
        'p90 ms': loopDelay.p90,
        'p99 ms': loopDelay.p99,
        'max ms': loopDelay.max,
      },
      ...hopRows(metricsBefore, metricsAfter),
      {
        case: `Kafka two-hop floor at ${rate} messages/s (echo, no HTTP, no scoring, no sinks)`,
        requests: floor.length,
        'requests/s': rate,
        'p50 ms': percentile(floor, 50)!,
        'p90 ms': percentile(floor, 90)!,
        'p99 ms': floorP99,
        'max ms': floor[floor.length - 1]!,
        'machine CPU busy': `${Math.round(floorBusy * 100)} %`,
      },
      {
        case: `the API's CPU per response read, its clients' or not (${responsesRead.toLocaleString('en-US')} results, ${perResponse.seconds.toFixed(1)} s)`,
        requests: responsesRead,
        'requests/s': Math.round(responsesRead / perResponse.seconds),
        'CPU µs each': Math.round(perResponse.cpuMicros),
      },
    ]);
  } finally {
    if (api.exitCode === null) {
      api.kill('SIGTERM');
      await new Promise((r) => api.once('exit', r));
    }
    await temporal.client.workflow.getHandle(workflowId).terminate('bench over').catch(() => undefined);
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await closeTemporal(temporal);
    await admin.deleteTopics({ topics: [names.request, names.response, names.deadLetter] }).catch(() => undefined);
    await admin.disconnect();
    const mongo = await createMongoClient(cfg);
    for (const c of [names.resultsCollection, ...collectionNames(outcomeCollectionsBeside(names.resultsCollection))]) await database(mongo, cfg).collection(c).drop().catch(() => undefined);
    await mongo.close();
    await removeBenchModel(cfg);
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:api: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
