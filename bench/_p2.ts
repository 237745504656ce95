import { randomUUID } from 'node:crypto';
import { createMongoClient, database } from '../common/clients/mongo';
import { loadConfig } from '../common/config';
import { readFileSync } from 'node:fs';
const pid = Number(process.argv[2]);
const cpu = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' '); return (Number(f[13]) + Number(f[14])) * 10; };
async function main() {
  const cfg = loadConfig(); const mongo = await createMongoClient(cfg); const db = database(mongo, cfg);
  const shapes: Record<string, (i: number) => Record<string, unknown>> = {
    small: (i) => ({ UUID: randomUUID(), P: i % 4 }),
    full: (i) => ({ UUID: randomUUID(), Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: i % 60, Distance: 2475, DistanceSource: 'table',
      FlightDate: '2013-07-04', FlightNum: String(i), DayOfWeek: 4, DayOfMonth: 4, DayOfYear: 185, Route: 'JFK-LAX', Prediction: 2,
      PredictionLabel: 'Slightly Late (0-30 Minute Delay)', Probabilities: [0.1, 0.2, 0.6, 0.1], ModelVersion: '1',
      RequestTimestamp: new Date().toISOString(), ScoredAt: new Date().toISOString() }),
  };
  for (const idx of [true, false]) for (const [shape, make] of Object.entries(shapes)) {
    const name = `p2_${randomUUID().slice(0, 8)}`;
    if (idx) await db.collection(name).createIndex({ UUID: 1 }, { unique: true }); else await db.createCollection(name);
    const c0 = cpu(); const t = performance.now();
    for (let b = 0; b < 5; b++) await db.collection(name).insertMany(Array.from({ length: 2000 }, (_, i) => make(i)), { ordered: false });
    const ms = performance.now() - t;
    console.log(`${shape} index=${idx}: 10000 in ${ms.toFixed(0)} ms wall, ferretdb cpu ${(cpu() - c0)} ms → ${((cpu()-c0)*100/1000).toFixed(0)} µs/doc`);
    await db.collection(name).drop();
  }
  await mongo.close();
}
void main();
