/**
 * npx tsx bench/stream-profile.ts — times the MongoDB sink alone (the stream's results collection
 * upserts, chunks of 50) on the local stack, into a temporary collection that it drops.
 */
import { randomUUID } from 'node:crypto';
import type { PredictionResult } from '../common/prediction-result';
import { ensureResultIndexes, mongoSink } from '../activities/streaming/sinks/mongo-sink';
import { createMongoClient, database } from '../common/clients/mongo';
import { loadConfig } from '../common/config';

const result = (i: number): PredictionResult => ({
  UUID: `p-${randomUUID()}`, Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: i % 60, Distance: 2475, DistanceSource: 'table',
  FlightDate: '2013-07-04', FlightNum: String(i), DayOfWeek: 4, DayOfMonth: 4, DayOfYear: 185, Route: 'JFK-LAX', Prediction: 2,
  PredictionLabel: 'Slightly Late (0-30 Minute Delay)', Probabilities: [0.1, 0.2, 0.6, 0.1], ModelVersion: '1',
  RequestTimestamp: new Date().toISOString(), ScoredAt: new Date().toISOString(),
});

async function main(): Promise<void> {
  const cfg = loadConfig();
  const mongo = await createMongoClient(cfg);
  const db = database(mongo, cfg);
  const name = `bench_profile_${randomUUID().slice(0, 8)}`;
  try {
    await ensureResultIndexes(db, name);
    const sink = mongoSink(db, name);
    for (const size of [50, 200, 200, 200]) {
      const rows = Array.from({ length: size }, (_, i) => result(i));
      const t = performance.now();
      await sink.accept(rows);
      const ms = performance.now() - t;
      process.stdout.write(`mongo sink: ${size} upserts in ${ms.toFixed(0)} ms (${Math.round((size * 1000) / ms)}/s); collection now ${await db.collection(name).countDocuments()}\n`);
    }
    const plain = Array.from({ length: 200 }, (_, i) => result(i));
    let t = performance.now();
    await db.collection(name).insertMany(plain, { ordered: false });
    process.stdout.write(`insertMany of 200 (no upsert): ${(performance.now() - t).toFixed(0)} ms\n`);
    t = performance.now();
    await db.collection(name).find({ UUID: plain[0]!.UUID }).toArray();
    process.stdout.write(`one find by UUID: ${(performance.now() - t).toFixed(1)} ms\n`);
  } finally {
    await db.collection(name).drop().catch(() => undefined);
    await mongo.close();
  }
}
void main();
