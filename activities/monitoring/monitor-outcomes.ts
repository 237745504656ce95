import { Context } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { eachOutcome } from '../../common/collections/outcomes';
import { monitoringDocumentId, type MonitorInput, type MonitoringDocument, type MonitorSummary } from '../../common/contracts/monitoring';
import type { Logger } from '../../common/logger';
import { mongoNames } from '../../common/names';
import type { Outcome, OutcomeChunk } from '../../common/outcomes/outcome';
import { delayClassLabels } from '../../models/features/delay-classes';
import { populationStabilityIndex, WindowAccumulator, type WindowMetrics } from '../../models/monitoring';
import { FeatureBinCounts } from '../../models/feature-profile';
import type { ModelInfo } from '../../models/flight-delay-model';
import type { ModelRegistry } from '../../common/model-registry';
import type { MlflowClient } from '../../common/clients/mlflow';
import { logWindowRun } from './mlflow-window-run';
import type { MonitorMetrics } from './monitor-metrics';

export interface MonitorDeps {
  db: Db;
  log: Logger;
  /** The registered versions, each loaded once for its held-out metrics; absent: those fields are null. */
  models?: Pick<ModelRegistry, 'load'>;
  /** Where each window's run is logged (experiment flight-delay-monitoring); absent: no runs, MlflowRunId null. */
  mlflow?: { client: MlflowClient; registeredModel: string };
  /** Default: common/names.ts. Tests give their own. */
  collections?: { outcomes?: string; monitoring?: string; events?: string };
  /** Where the windows' figures are exposed to Prometheus; absent: nowhere. */
  metrics?: MonitorMetrics;
}

interface MonitorState {
  _id: 'state';
  LastRunAt: string;
}

/**
 * Outcomes written this long before the previous run began are looked at again: a chunk stamped before
 * that run's start but stored after it read the chunk's date would otherwise be missed.
 */
const overlapMs = 10 * 60_000;

/** The flight dates with outcome chunks written since `since` (the chunks' WrittenAt, compared in the database). */
async function datesWrittenSince(db: Db, collection: string, since: string): Promise<string[]> {
  const chunks = await db
    .collection<OutcomeChunk>(collection)
    .find({ WrittenAt: { $gte: since } }, { projection: { FlightDate: 1 } })
    .toArray();
  return [...new Set(chunks.map((c) => c.FlightDate))].sort();
}

/**
 * Computes the live metrics of each flight date asked for (or written to since the previous run): the
 * date's outcomes, each once, split by source, model version and role, each window's metrics written to
 * `model_monitoring` under its id (a date computed again replaces its windows).
 */
export async function monitorOutcomes(deps: MonitorDeps, input: MonitorInput): Promise<MonitorSummary> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const outcomesCollection = deps.collections?.outcomes ?? mongoNames.predictionOutcomes;
  const monitoring = deps.db.collection<MonitoringDocument | MonitorState>(deps.collections?.monitoring ?? mongoNames.modelMonitoring);
  let dates = input.dates;
  if (!dates) {
    const state = (await monitoring.findOne({ _id: 'state' })) as MonitorState | null;
    const since = state ? new Date(Date.parse(state.LastRunAt) - overlapMs).toISOString() : '';
    dates = await datesWrittenSince(deps.db, outcomesCollection, since);
  }
  let windows = 0;
  let outcomes = 0;
  const infos = new Map<string, ModelInfo | null>();
  // A version's held-out metrics beside a window's: what it was tested at, and how far the classes and the features moved since.
  const reference = async (version: string, m: WindowMetrics, bins: FeatureBinCounts): Promise<Pick<MonitoringDocument, 'HeldOutAccuracy' | 'PredictedClassPSI' | 'ActualClassPSI' | 'FeatureDrift'>> => {
    if (!infos.has(version)) {
      const loaded = deps.models
        ? await deps.models.load(version).then(
            (r) => r.model.info,
            (err: unknown) => {
              deps.log.warn('cannot load the model version for its held-out metrics', { version, error: (err as Error).message });
              return null;
            },
          )
        : null;
      infos.set(version, loaded);
    }
    const info = infos.get(version);
    if (!info) return { HeldOutAccuracy: null, PredictedClassPSI: null, ActualClassPSI: null, FeatureDrift: [] };
    const e = info.evaluation;
    const predictedOnHeldOut = e.confusion.map((_, c) => e.confusion.reduce((a, row) => a + row[c]!, 0));
    const actualOnHeldOut = e.confusion.map((row) => row.reduce((a, b) => a + b, 0));
    return {
      HeldOutAccuracy: e.accuracy,
      PredictedClassPSI: populationStabilityIndex(predictedOnHeldOut, m.predictedShare),
      ActualClassPSI: populationStabilityIndex(actualOnHeldOut, m.actualShare),
      FeatureDrift: info.featureProfile ? bins.drift(info.featureProfile).map((d) => ({ Feature: d.feature, PSI: d.psi })) : [],
    };
  };
  for (const date of dates) {
    // One window per source, version and role, each taking the date's outcomes as they are read.
    const byWindow = new Map<string, { first: Outcome; window: WindowAccumulator; bins: FeatureBinCounts }>();
    const count = await eachOutcome(
      deps.db,
      date,
      (o) => {
        const key = `${o.Source}:${o.ModelVersion}:${o.Role}`;
        let w = byWindow.get(key);
        if (!w) byWindow.set(key, (w = { first: o, window: new WindowAccumulator(delayClassLabels), bins: new FeatureBinCounts() }));
        w.window.add(o);
        if (o.FeatureBins !== undefined) w.bins.add(o.FeatureBins);
      },
      outcomesCollection,
    );
    outcomes += count;
    const computedAt = new Date().toISOString();
    for (const { first, window, bins } of byWindow.values()) {
      const m = window.metrics();
      const doc: MonitoringDocument = {
        _id: '',
        FlightDate: date,
        Source: first.Source,
        ModelVersion: first.ModelVersion,
        Role: first.Role,
        Rows: m.rows,
        Accuracy: m.accuracy,
        WeightedF1: m.weightedF1,
        LogLoss: m.logLoss,
        ECE: m.ece,
        Confusion: m.confusion.flat(),
        PredictedShare: m.predictedShare,
        ActualShare: m.actualShare,
        ...(await reference(first.ModelVersion, m, bins)),
        MlflowRunId: null,
        ComputedAt: computedAt,
      };
      doc._id = monitoringDocumentId(doc);
      if (deps.mlflow) doc.MlflowRunId = await logWindowRun(deps.mlflow.client, deps.mlflow.registeredModel, doc);
      await monitoring.replaceOne({ _id: doc._id }, doc, { upsert: true });
      deps.metrics?.window(doc);
      windows++;
    }
    Context.current().heartbeat({ date, outcomes, windows });
    deps.log.info('monitored a flight date', { date, outcomes: count, windows: byWindow.size });
  }
  if (!input.dates) await monitoring.replaceOne({ _id: 'state' }, { _id: 'state', LastRunAt: startedAt }, { upsert: true });
  return { dates, windows, outcomes, elapsedMs: Date.now() - started };
}
