import type { Collection, Db } from 'mongodb';
import type { MlflowClient } from '../../common/clients/mlflow';
import type { ModelEvent, MonitoringDocument, ReviewResult } from '../../common/contracts/monitoring';
import type { Logger } from '../../common/logger';
import type { ModelRegistry } from '../../common/model-registry';
import { mlflowTags, mongoNames, taskQueues, workflowIds } from '../../common/names';
import type { MonitorMetrics } from './monitor-metrics';
import { promotionEvidence, retrainingEvidence, type LivePromotionPolicy, type RetrainingPolicy } from '../../common/outcomes/evidence';

export interface ReviewDeps {
  db: Db;
  log: Logger;
  models: Pick<ModelRegistry, 'championVersion' | 'challengerVersion' | 'promote' | 'registeredChampion'>;
  /** Where promotions are recorded, and finished retrainings found (their runs in `experiment`, the training's). */
  mlflow?: { client: MlflowClient; registeredModel: string; experiment?: string };
  policies: { promotion: LivePromotionPolicy; retraining: RetrainingPolicy };
  /** Default: common/names.ts. Tests give their own. */
  collections?: { monitoring?: string; events?: string };
  metrics?: MonitorMetrics;
  /** Where a retraining runs; default: the training task queue, workflow id flight-delay-retraining. */
  retraining?: { taskQueue?: string; workflowId?: string };
}

const dayMs = 86_400_000;
const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

/**
 * Weighs the monitor's windows: promotes a shadow challenger that beats the champion on live outcomes
 * (recorded in model_events and on the version in MLflow), then — for the champion after that — says
 * whether its evidence calls for a retraining that the rate limit allows. The workflow starts it.
 *
 * Safe to retry: its events are named by `at` (the monitor run's start, the same on every attempt), each
 * written before what it records is done, and an attempt finds the event an earlier one wrote.
 */
export async function reviewEvidence(deps: ReviewDeps, input: { at: string }): Promise<ReviewResult> {
  const windows = await deps.db
    .collection<MonitoringDocument>(deps.collections?.monitoring ?? mongoNames.modelMonitoring)
    .find({ FlightDate: { $exists: true } }, { projection: { Confusion: 0, PredictedShare: 0, ActualShare: 0 } })
    .toArray();
  const events = deps.db.collection<ModelEvent>(deps.collections?.events ?? mongoNames.modelEvents);
  const { at } = input;
  const result: ReviewResult = {};
  // An event an earlier attempt of this run wrote stands: a duplicate _id is that event.
  const record = async (event: ModelEvent): Promise<void> => {
    await events.insertOne(event).catch((err: unknown) => {
      if ((err as { code?: number }).code !== 11000) throw err;
    });
  };
  if (deps.mlflow?.experiment) await settleRetrainings({ ...deps.mlflow, experiment: deps.mlflow.experiment }, events, deps.log);
  let champion = await deps.models.championVersion();
  if (champion === undefined) return result;

  const challenger = await deps.models.challengerVersion();
  if (challenger !== undefined && challenger !== champion) {
    const evidence = promotionEvidence(windows, champion, challenger, deps.policies.promotion);
    result.promotion = evidence;
    if (evidence.promote) {
      await record({
        _id: `${at}:promotion`, Kind: 'promotion', At: at, ChampionVersion: champion, Version: challenger, Reasons: [evidence.reason],
        Evidence: evidence, WorkflowId: null, WorkflowRunId: null, Status: 'promoted',
      });
      await deps.models.promote(challenger);
      if (deps.mlflow) await recordPromotionInMlflow(deps.mlflow, challenger, evidence.reason, deps.log);
      deps.metrics?.promotions.inc();
      deps.log.info('promoted the challenger on live evidence', { version: challenger, replaced: champion, reason: evidence.reason });
      champion = challenger;
    }
  }

  const policy = deps.policies.retraining;
  if (!policy.enabled) return result;
  const evidence = retrainingEvidence(windows, champion, policy);
  result.retraining = { evidence };
  if (evidence.reasons.length === 0) return result;
  const eventId = `${at}:retraining`;
  // This run's own event (an earlier attempt's) is not a reason to wait.
  const last = (await events.find({ Kind: 'retraining' }).toArray()).filter((e) => e._id !== eventId).sort((a, b) => (a.At < b.At ? 1 : -1))[0];
  if (last && Date.parse(at) - Date.parse(last.At) < policy.minIntervalMinutes * 60_000) {
    result.retraining.skipped = `the last retraining started at ${last.At}; RETRAIN_MIN_INTERVAL_MINUTES=${policy.minIntervalMinutes}`;
    deps.metrics?.retrainings.inc({ status: 'rate-limited' });
    return result;
  }
  // Trained on the recent flights whose outcomes are known (RETRAIN_HISTORY_DAYS up to the latest), evaluated on the latest days.
  const through = evidence.dates[evidence.dates.length - 1]!;
  const workflowId = deps.retraining?.workflowId ?? workflowIds.retraining;
  const start = {
    eventId,
    workflowId,
    taskQueue: deps.retraining?.taskQueue ?? taskQueues.training,
    input: {
      split: 'time' as const,
      from: addDays(through, 1 - policy.historyDays),
      through,
      cutDate: addDays(through, 1 - policy.evalDays),
      promote: 'if-better' as const,
      reason: evidence.reasons.join('; '),
    },
  };
  await record({
    _id: eventId, Kind: 'retraining', At: at, ChampionVersion: champion, Version: null, Reasons: evidence.reasons,
    Evidence: evidence, WorkflowId: workflowId, WorkflowRunId: null, Status: 'starting',
  });
  result.retraining.start = start;
  deps.log.info('the champion\'s live evidence calls for a retraining', { champion, reasons: evidence.reasons });
  return result;
}

/** The workflow says how the retraining's start went: its run, or that one was running already. */
export async function recordRetraining(deps: Pick<ReviewDeps, 'db' | 'collections' | 'metrics'>, input: { eventId: string; runId?: string; alreadyRunning?: boolean }): Promise<void> {
  deps.metrics?.retrainings.inc({ status: input.alreadyRunning ? 'already running' : 'started' });
  await deps.db
    .collection<ModelEvent>(deps.collections?.events ?? mongoNames.modelEvents)
    .updateOne({ _id: input.eventId }, { $set: { Status: input.alreadyRunning ? 'already running' : 'started', WorkflowRunId: input.runId ?? null } });
}

async function recordPromotionInMlflow(mlflow: NonNullable<ReviewDeps['mlflow']>, version: string, reason: string, log: Logger): Promise<void> {
  try {
    await mlflow.client.setModelVersionTag(mlflow.registeredModel, version, 'promotion_reason', reason.slice(0, 4000));
    const runId = (await mlflow.client.getModelVersion(mlflow.registeredModel, version)).runId;
    if (runId) {
      await mlflow.client.setTag(runId, 'promoted', 'true');
      await mlflow.client.setTag(runId, 'promotion_reason', reason.slice(0, 4000));
    }
  } catch (err) {
    log.warn('promoted, but MLflow did not take the reason', { version, error: (err as Error).message });
  }
}

/**
 * Retrainings started earlier whose training has finished since: the version their MLflow run registered,
 * and whether it became the champion (the run's `promoted` tag), written into their events.
 */
async function settleRetrainings(mlflow: { client: MlflowClient; registeredModel: string; experiment: string }, events: Collection<ModelEvent>, log: Logger): Promise<void> {
  const open = await events.find({ Kind: 'retraining', Status: 'started' }).toArray();
  if (open.length === 0) return;
  try {
    const experiment = await mlflow.client.getExperimentByName(mlflow.experiment);
    if (!experiment) return;
    for (const e of open) {
      if (!e.WorkflowId || !e.WorkflowRunId) continue;
      const filter = `tags."${mlflowTags.workflowId}" = '${e.WorkflowId}' and tags."${mlflowTags.workflowRunId}" = '${e.WorkflowRunId}'`;
      const [run] = await mlflow.client.searchRuns([experiment.experimentId], filter, { maxResults: 1 });
      if (run?.info.status === 'FAILED' || run?.info.status === 'KILLED') {
        await events.updateOne({ _id: e._id }, { $set: { Status: 'failed' } });
        continue;
      }
      if (run?.info.status !== 'FINISHED') continue;
      const [version] = await mlflow.client.searchModelVersions(`name = '${mlflow.registeredModel}' and run_id = '${run.info.runId}'`);
      if (!version) continue;
      await events.updateOne({ _id: e._id }, { $set: { Version: version.version, Status: run.data.tags.promoted === 'true' ? 'promoted' : 'not promoted' } });
    }
  } catch (err) {
    log.warn('could not look up how earlier retrainings ended; the next run tries again', { error: (err as Error).message });
  }
}
