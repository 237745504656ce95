/**
 * npm run bench:monitor — the monitor's run over one flight date of N outcomes (default 1,000,000), as
 * the join stores them (chunks of common/outcomes/outcome.ts, each with its nine features' bins) with a share
 * of them written twice (as a race or a retry does), through the monitoring activity itself (the metrics and
 * each feature's drift); and, side by side, what reading the same
 * outcomes as one document each would cost (measured on --per-doc of them, scaled to N). Everything goes
 * to a database of its own, dropped at the end (--keep leaves it).
 * Options: --outcomes N, --duplicates SHARE (default 0.1), --per-doc N (default 50000), --keep.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { insertNew, createMongoClient } from '../common/clients/mongo';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { chunkLines, type Outcome, type OutcomeChunk } from '../common/outcomes/outcome';
import { monitorOutcomes } from '../activities/monitoring/monitor-outcomes';
import type { MonitoringDocument, MonitorSummary } from '../common/contracts/monitoring';
import { numberArg, peakRssMb, printTable, seconds } from './measure';
import { createHash } from 'node:crypto';
import { binCodes } from '../models/feature-profile';
import type { ModelRegistry, RegistryModel } from '../common/model-registry';

const date = '2013-11-15';

/** Outcome `i`: two sources, a champion and a challenger version, right about 55 % of the time. */
function outcome(i: number): Outcome {
  const actual = i % 4;
  const predicted = (i * 7919) % 100 < 55 ? actual : (actual + 1 + (i % 3)) % 4;
  const probabilities = [0, 1, 2, 3].map((c) => (c === predicted ? 0.55 : 0.15));
  const challenger = i % 5 === 0;
  return {
    id: `${date}|UA|${i}|EWR|ORD#${i % 2 ? 'realtime' : 'batch'}:p-${i}`,
    FlightDate: date,
    Source: i % 2 ? 'realtime' : 'batch',
    ModelVersion: challenger ? '8' : '7',
    Role: challenger ? 'challenger' : 'champion',
    Predicted: predicted,
    Actual: actual,
    ArrDelay: actual * 20 - 20,
    Probabilities: probabilities,
    ScoredAt: '2013-11-15T06:00:00.000Z',
    // Nine features' bins, as the stream files them: the monitor counts them for each feature's drift.
    FeatureBins: binCodes(Array.from({ length: features }, (_, j) => ((i >> j) ^ (i * (j + 3))) % 11)),
  };
}

const features = 9;

/** What the registry gives the monitor of a version: its held-out evaluation and its training profile (uniform bins here). */
const versions: Pick<ModelRegistry, 'load'> = {
  load: (version: string) =>
    Promise.resolve({
      version,
      model: {
        info: {
          evaluation: { accuracy: 0.53, confusion: [0, 1, 2, 3].map(() => [100, 100, 100, 100]) },
          featureProfile: { rows: 1000, features: Array.from({ length: features }, (_, j) => ({ name: `f${j}`, kind: 'numeric' as const, edges: Array.from({ length: 9 }, (_, e) => e), shares: [...Array<number>(10).fill(0.1), 0] })) },
        },
      },
    } as unknown as RegistryModel),
};

const chunkDocs = (outcomes: Outcome[]): OutcomeChunk[] =>
  chunkLines(outcomes).map((Lines) => ({ _id: `${date}:${createHash('sha256').update(Lines).digest('hex').slice(0, 32)}`, FlightDate: date, Count: Lines.split('\n').length, Lines, WrittenAt: new Date().toISOString() }));

async function main(): Promise<void> {
  const n = numberArg('outcomes', 1_000_000);
  const duplicates = numberArg('duplicates', 0.1);
  const perDoc = numberArg('per-doc', 50_000);
  const cfg = loadConfig();
  const mongo = await createMongoClient(cfg);
  const db = mongo.db(`bench_monitor_${Date.now()}`);
  const log = createLogger('bench:monitor', { ...cfg, logLevel: 'warn' });
  try {
    let t = performance.now();
    const all = Array.from({ length: n }, (_, i) => outcome(i));
    const again = all.filter((_, i) => (i * 2654435761) % 1000 < duplicates * 1000);
    const docs = [...chunkDocs(all), ...chunkDocs(again)];
    await insertNew(db.collection<OutcomeChunk>('prediction_outcomes'), docs, 20);
    const writeS = seconds(t);

    t = performance.now();
    const summary: MonitorSummary = await new MockActivityEnvironment().run(monitorOutcomes, { db, log, models: versions, collections: { outcomes: 'prediction_outcomes', monitoring: 'model_monitoring' } }, { dates: [date] });
    const monitorS = seconds(t);
    if (summary.outcomes !== n) throw new Error(`the monitor counted ${summary.outcomes} outcomes of ${n}`);
    const drifts = await db.collection<MonitoringDocument>('model_monitoring').find({ FlightDate: date }).toArray();
    if (!drifts.every((w) => w.FeatureDrift.length === features)) throw new Error('a window without the drift of every feature');

    const single = db.collection<Outcome & { _id: string }>('outcomes_one_each');
    await insertNew(single, all.slice(0, perDoc).map((o) => ({ ...o, _id: o.id })), 5_000);
    t = performance.now();
    let read = 0;
    for await (const _ of single.find({ _id: { $gte: `${date}|`, $lt: `${date}}` } })) read++;
    const oneEachS = seconds(t);
    if (read !== perDoc) throw new Error(`read ${read} of ${perDoc} one-document outcomes`);

    printTable([
      { step: `write ${n.toLocaleString('en')} outcomes (+${again.length.toLocaleString('en')} twice) in ${docs.length} chunks`, seconds: writeS.toFixed(1), 'outcomes/s': Math.round((n + again.length) / writeS).toLocaleString('en') },
      { step: `monitor the date: ${summary.windows} windows`, seconds: monitorS.toFixed(1), 'outcomes/s': Math.round(n / monitorS).toLocaleString('en') },
      { step: `read ${perDoc.toLocaleString('en')} outcomes stored one a document`, seconds: oneEachS.toFixed(1), 'outcomes/s': Math.round(perDoc / oneEachS).toLocaleString('en') },
      { step: `  … scaled to ${n.toLocaleString('en')}`, seconds: ((oneEachS * n) / perDoc).toFixed(1), 'outcomes/s': '' },
    ]);
    console.log(`peak RSS ${peakRssMb().toFixed(0)} MB; the monitor's run ${(((oneEachS * n) / perDoc) / monitorS).toFixed(1)}× faster than reading one document per outcome would be`);
  } finally {
    if (!process.argv.includes('--keep')) await db.dropDatabase().catch(() => undefined);
    await mongo.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
