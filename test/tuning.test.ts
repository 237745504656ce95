import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import { createMlflowClient, type MlflowClient, type Run } from '../common/clients/mlflow';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import { mlflowTags } from '../common/names';
import type { TrainingHeartbeat } from '../activities/training/types';
import { startTuning, tuningProgressQuery, type TrialOutcome, type TuneFlightDelayModelInput, type TuneFlightDelayModelResult } from '../common/contracts/tuning';
import { createTrainingWorker } from '../workers/training-worker';
import { trainingTestSettings } from './support/training';

/** The tuning workflow on the real stack: Temporal, MLflow, HDFS, a training worker of the test's own. */
describe('tuneFlightDelayModel on the real stack', () => {
  const { cfg, env } = trainingTestSettings('tune');
  const taskQueue = `tuning-test-${randomUUID()}`;
  let temporal: TemporalClients;
  let mlflow: MlflowClient;
  let worker: Worker;
  let connection: NativeConnection;
  let running: Promise<void>;

  before(async () => {
    temporal = await connectTemporal(cfg);
    mlflow = createMlflowClient(cfg);
    ({ worker, connection } = await createTrainingWorker(cfg, { taskQueue }));
    running = worker.run();
  });
  after(async () => {
    worker.shutdown();
    await running;
    await connection.close();
    await mlflow.deleteRegisteredModel(cfg.mlflow.registeredModel).catch(() => undefined);
    const experiment = await mlflow.getExperimentByName(cfg.mlflow.experiment);
    if (experiment) await mlflow.deleteExperiment(experiment.experimentId).catch(() => undefined);
    await closeTemporal(temporal);
  });

  const childRuns = async (parent: Run): Promise<Run[]> =>
    mlflow.searchRuns([parent.info.experimentId], `tags."${mlflowTags.parentRunId}" = '${parent.info.runId}'`);

  it('leaves one parent run with a child run per trial, and registers and promotes the best', async () => {
    const input: TuneFlightDelayModelInput = {
      limit: 5000,
      forest: { maxDepth: 4, threads: 1, seed: 5 },
      space: { 'forest.numTrees': [1, 4, 8], 'forest.maxDepth': [2, 4] },
      strategy: 'random',
      seed: 11,
      maxTrials: 3,
      parallelism: 2,
      promote: 'if-better',
    };
    const { handle, workflowId } = await startTuning(temporal.client, input, { taskQueue, workflowId: `test-tune-${randomUUID()}` });
    const result: TuneFlightDelayModelResult = await handle.result();

    assert.equal(result.trials.length, 3);
    assert.deepEqual(result.trials.map((t) => t.status), ['finished', 'finished', 'finished']);
    assert.equal(new Set(result.trials.map((t) => JSON.stringify(t.values))).size, 3, 'three distinct points of the space');
    const bestAccuracy = Math.max(...result.trials.map((t) => t.accuracy!));
    assert.equal(result.best.accuracy, bestAccuracy);

    const parent = await mlflow.getRun(result.mlflowRunId);
    assert.equal(parent.info.status, 'FINISHED');
    assert.equal(parent.data.tags[mlflowTags.workflowId], workflowId);
    assert.equal(parent.data.metrics.best_accuracy, bestAccuracy);
    assert.equal(parent.data.params.strategy, 'random');
    const artifacts = (await mlflow.listArtifacts(parent.info.runId)).map((a) => a.path).sort();
    assert.deepEqual(artifacts, ['search_space.json', 'trials.csv', 'trials.json']);
    const table = JSON.parse((await mlflow.downloadArtifact(parent.info.runId, 'trials.json')).toString('utf8')) as TrialOutcome[];
    assert.deepEqual(table.map((t) => t.mlflowRunId), result.trials.map((t) => t.mlflowRunId));
    assert.equal((await mlflow.downloadArtifact(parent.info.runId, 'trials.csv')).toString('utf8').trim().split('\n').length, 4, 'a header and three rows');

    const children = await childRuns(parent);
    assert.equal(children.length, 3, 'one child run per trial');
    for (const child of children) {
      assert.equal(child.info.status, 'FINISHED');
      const trial = result.trials.find((t) => t.mlflowRunId === child.info.runId);
      assert.ok(trial, `child ${child.info.runId} is a trial of the result`);
      assert.equal(child.data.metrics.accuracy, trial.accuracy);
      assert.equal(child.data.params.numTrees, String(trial.values['forest.numTrees']));
      assert.equal(child.data.params.maxDepth, String(trial.values['forest.maxDepth']));
    }
    const others = await mlflow.searchRuns([parent.info.experimentId], `tags."${mlflowTags.workflowId}" = '${workflowId}'`);
    assert.equal(others.length, 4, 'the parent and its three children, nothing else');

    // Registered from the best trial's run; the first champion of this test's model.
    const version = await mlflow.getModelVersion(cfg.mlflow.registeredModel, result.version);
    assert.equal(version.runId, result.best.mlflowRunId);
    assert.equal(result.promoted, true, result.promotionReason);
    assert.equal((await mlflow.getModelVersionByAlias(cfg.mlflow.registeredModel, 'champion'))?.version, result.version);

    // The usual rule: a worse tuning's best is registered and compared with the champion on the same rows, not promoted.
    const worse = await (await startTuning(temporal.client, { ...input, space: { 'forest.numTrees': [1] }, forest: { maxDepth: 1, threads: 1 } }, { taskQueue, workflowId: `test-tune-worse-${randomUUID()}` })).handle.result();
    assert.equal(worse.promoted, false, worse.promotionReason);
    assert.match(worse.promotionReason, new RegExp(`champion v${result.version} scores`));
    assert.equal((await mlflow.getModelVersionByAlias(cfg.mlflow.registeredModel, 'champion'))?.version, result.version);
  });

  it('stops its trials when cancelled and ends the parent run KILLED', async () => {
    const input: TuneFlightDelayModelInput = {
      limit: 20_000,
      forest: { threads: 1, maxDepth: 10 },
      space: { 'forest.numTrees': [2000, 2001, 2002] },
      parallelism: 2,
      promote: 'never',
      heartbeatTimeoutSeconds: 5,
    };
    const { handle } = await startTuning(temporal.client, input, { taskQueue, workflowId: `test-tune-cancel-${randomUUID()}` });
    await waitFor(async () => {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      return pending.some((p) => {
        const payload = p.heartbeatDetails?.payloads?.[0];
        const beat = payload ? defaultPayloadConverter.fromPayload<TrainingHeartbeat>(payload) : undefined;
        return p.activityType?.name === 'runTrial' && beat?.stage === 'train' && beat.treesDone >= 2;
      }) || undefined;
    }, 120_000);
    const progress = await handle.query(tuningProgressQuery);
    assert.equal(progress.stage, 'running trials');
    assert.equal(progress.trialsTotal, 3);
    assert.ok(progress.trialsDone < 3 && progress.trialsRunning >= 1, JSON.stringify(progress));
    await handle.cancel();

    await assert.rejects(handle.result(), (err: unknown) => err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure);
    const description = await handle.describe();
    assert.equal(description.status.name, 'CANCELLED');
    assert.deepEqual(description.raw.pendingActivities ?? [], [], 'no trial activity still pending');
    const events = (await handle.fetchHistory()).events ?? [];
    const started = events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [Number(e.activityTaskStartedEventAttributes.scheduledEventId)] : []));
    const ended = new Set(
      events.map((e) => Number((e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskCanceledEventAttributes ?? e.activityTaskTimedOutEventAttributes)?.scheduledEventId)),
    );
    assert.deepEqual(started.filter((id) => !ended.has(id)), [], 'every started activity ended before the workflow did');
    assert.ok(events.some((e) => e.activityTaskCanceledEventAttributes), 'the running trial acknowledged its cancellation');

    const experiment = await mlflow.getExperimentByName(cfg.mlflow.experiment);
    const [parent] = await mlflow.searchRuns([experiment!.experimentId], `tags."${mlflowTags.workflowId}" = '${handle.workflowId}' and tags."tuning.role" = 'parent'`);
    assert.ok(parent, 'the parent run');
    assert.equal(parent.info.status, 'KILLED');
    assert.equal(parent.data.tags['tuning.outcome'], 'cancelled');
    assert.match(parent.data.tags.cancelled ?? '', /cancelled/);
    const children = await childRuns(parent);
    assert.ok(children.some((c) => c.info.status === 'KILLED'), 'the trial that was running has its run KILLED');
    assert.deepEqual(children.filter((c) => c.info.status === 'RUNNING').map((c) => c.info.runName), [], 'no child run left RUNNING');
  });
  it('loses only the running trial\'s attempt when its worker process is SIGKILLed: finished trials stay, the killed one goes on in its own run', async () => {
    const killQueue = `tuning-kill-${randomUUID()}`;
    // The real training worker in processes of their own, each with its own folders.
    const output: string[] = [];
    const startWorker = (): ChildProcess => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/training-worker-process.ts', killQueue], { cwd: resolve(__dirname, '..'), env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
      return child;
    };
    const first = startWorker();
    let second: ChildProcess | undefined;
    try {
      // One trial at a time; the second slow enough (about 10 s here) to be caught in the middle by a heartbeat (one
      // every 4 s). Saving its 600 deep trees sends no heartbeat for a few seconds: on a loaded machine a retry can miss
      // its 5 s heartbeat timeout there, so the retries are many (see the closing assertion).
      const input: TuneFlightDelayModelInput = {
        limit: 20_000,
        forest: { threads: 1, maxDepth: 12, seed: 3 },
        space: { 'forest.numTrees': [2, 600, 3] },
        parallelism: 1,
        promote: 'never',
        heartbeatTimeoutSeconds: 5,
        retry: { initialIntervalSeconds: 1, maximumAttempts: 10 },
      };
      const { handle } = await startTuning(temporal.client, input, { taskQueue: killQueue, workflowId: `test-tune-kill-${randomUUID()}` });
      let lastSeen = '';
      const treesDone = await waitFor(async () => {
        const progress = await handle.query(tuningProgressQuery);
        const pending = (await handle.describe()).raw.pendingActivities?.[0];
        const payload = pending?.heartbeatDetails?.payloads?.[0];
        const beat = payload ? defaultPayloadConverter.fromPayload<TrainingHeartbeat>(payload) : undefined;
        lastSeen = JSON.stringify({ progress, activity: pending?.activityType?.name, attempt: pending?.attempt, beat });
        return progress.trialsDone === 1 && pending?.activityType?.name === 'runTrial' && beat?.stage === 'train' && beat.treesDone >= 1 ? beat.treesDone : undefined;
      }, 180_000).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}; last seen ${lastSeen}; the workers said:\n${output.join('').slice(-3000)}`);
      });
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      second = startWorker();

      const result: TuneFlightDelayModelResult = await handle.result();
      assert.deepEqual(result.trials.map((t) => t.status), ['finished', 'finished', 'finished'], `${JSON.stringify(result.trials.map((t) => t.error))}\n${output.join('').slice(-3000)}`);
      const events = (await handle.fetchHistory()).events ?? [];
      const scheduled = new Map(events.flatMap((e) => (e.activityTaskScheduledEventAttributes?.activityType?.name === 'runTrial' ? [[Number(e.eventId), e.activityTaskScheduledEventAttributes.activityId!]] : [])));
      const attempts = events.flatMap((e) => {
        const started = e.activityTaskStartedEventAttributes;
        const id = started ? scheduled.get(Number(started.scheduledEventId)) : undefined;
        return id ? [{ id, attempt: started!.attempt! }] : [];
      });
      const byTrial = [...scheduled.values()].map((id) => Math.max(...attempts.filter((a) => a.id === id).map((a) => a.attempt)));
      // Only the killed trial ran again (more than once when a retry also missed its heartbeat on a loaded machine).
      assert.ok(byTrial.length === 3 && byTrial[0] === 1 && byTrial[1]! >= 2 && byTrial[2] === 1, `last attempt of each trial ${JSON.stringify(byTrial)} (killed after ${treesDone} trees of the second)`);

      const experiment = await mlflow.getExperimentByName(cfg.mlflow.experiment);
      const [parent] = await mlflow.searchRuns([experiment!.experimentId], `tags."${mlflowTags.workflowId}" = '${handle.workflowId}' and tags."tuning.role" = 'parent'`);
      const children = await childRuns(parent!);
      assert.equal(children.length, 3, 'one child run per trial: the killed trial went on in its own run');
      assert.deepEqual(children.map((c) => c.info.status), ['FINISHED', 'FINISHED', 'FINISHED']);
      assert.deepEqual(children.map((c) => c.info.runId).sort(), result.trials.map((t) => t.mlflowRunId).sort());
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGTERM');
      if (second && second.exitCode === null) await new Promise((r) => second!.once('exit', r));
    }
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
