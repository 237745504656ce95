import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { activityInfo } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createTrainingActivities, type TrainingActivities } from '../activities/training';
import { MlflowClient } from '../common/clients/mlflow';
import { createLogger } from '../common/logger';
import { mlflowNames, mlflowTags, workflowTypes } from '../common/names';
import { ModelStore } from '../models/model-store';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { ModelRegistry } from '../common/model-registry';
import type { TrainFlightDelayModelInput } from '../common/contracts/training';
import { createTimeSkippingEnv } from './support/time-skipping';
import { trainingTestSettings } from './support/training';

/**
 * How the training workflow fails, on Temporal's time-skipping test server: the DAG's retry policy
 * (4 attempts, 5 minutes apart), errors no retry can fix, the failure notice, the FAILED run.
 */
describe('trainFlightDelayModel failures (time-skipping)', () => {
  const { cfg } = trainingTestSettings('fail');
  let env: TestWorkflowEnvironment;
  let webhook: Server;
  let webhookUrl: string;
  const notices: Record<string, unknown>[] = [];

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') }); // the failing attempts are expected
    env = await createTimeSkippingEnv();
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        notices.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/notify`;
  });
  after(async () => {
    await env?.teardown();
    webhook?.close();
  });

  /** Runs the real workflow and activities (against `mlflow`) on a worker of the test server, counting attempts. */
  async function runTraining(mlflow: MlflowClient, input: TrainFlightDelayModelInput) {
    const real = createTrainingActivities({
      mlflow,
      names: { experiment: cfg.mlflow.experiment, registeredModel: cfg.mlflow.registeredModel, championAlias: mlflowNames.championAlias },
      models: new ModelRegistry(mlflow, { registeredModel: cfg.mlflow.registeredModel, championAlias: mlflowNames.championAlias, challengerAlias: mlflowNames.challengerAlias }, new ModelStore(cfg.training.modelStoreDir), createLogger('test', 'error')),
      hdfs: WebHdfsClient.fromConfig(cfg),
      workDir: cfg.training.hdfsDir,
      failureWebhookUrl: webhookUrl,
      log: createLogger('test', 'error'),
    });
    const attempts: { activity: string; attempt: number; at: number }[] = [];
    const counted = Object.fromEntries(
      Object.entries(real).map(([name, fn]) => [
        name,
        async (arg: never) => {
          attempts.push({ activity: name, attempt: activityInfo().attempt, at: await env.currentTimeMs() });
          return (fn as (a: never) => Promise<unknown>)(arg);
        },
      ]),
    ) as TrainingActivities;
    const taskQueue = `training-fail-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: counted,
    });
    const workflowId = `test-fail-${randomUUID()}`;
    const outcome = await worker.runUntil(
      env.client.workflow.execute(workflowTypes.training, { taskQueue, workflowId, args: [input] }).then(
        () => undefined,
        (err: unknown) => err,
      ),
    );
    return { outcome, attempts, workflowId };
  }

  const causeMessages = (err: unknown): string => {
    const parts: string[] = [];
    for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) parts.push(e.message ?? '');
    return parts.join(' <- ');
  };

  it('retries a failing activity 3 times, 5 minutes apart, then fails and sends the notice', async () => {
    notices.length = 0;
    const unreachable = new MlflowClient('http://127.0.0.1:9', { timeoutMs: 2000 });
    const { outcome, attempts, workflowId } = await runTraining(unreachable, { limit: 1000 });

    assert.ok(outcome instanceof WorkflowFailedError, `expected the workflow to fail, got ${String(outcome)}`);
    assert.match(causeMessages(outcome), /MLflow at http:\/\/127\.0\.0\.1:9 did not answer/);
    const starts = attempts.filter((a) => a.activity === 'startRun');
    assert.deepEqual(starts.map((a) => a.attempt), [1, 2, 3, 4]);
    const gaps = starts.slice(1).map((a, i) => a.at - starts[i]!.at);
    for (const gap of gaps) assert.ok(Math.abs(gap - 300_000) < 2_000, `attempts ${gaps.join(', ')} ms apart, expected 300000`);
    assert.equal(attempts.filter((a) => a.activity === 'prepareFeatures').length, 0, 'nothing ran after the failing step');
    assert.equal(notices.length, 1);
    assert.equal(notices[0]!.workflowId, workflowId);
    assert.equal(notices[0]!.event, 'training-failed');
    assert.match(String(notices[0]!.message), /did not answer/);
  });

  it('fails at once, without retrying, on a missing data set, and marks the MLflow run FAILED', async () => {
    notices.length = 0;
    const mlflow = new MlflowClient(cfg.mlflow.trackingUri);
    const { outcome, attempts, workflowId } = await runTraining(mlflow, { dataset: '/nonexistent/flights.jsonl.gz' });

    assert.ok(outcome instanceof WorkflowFailedError);
    assert.match(causeMessages(outcome), /\/nonexistent\/flights\.jsonl\.gz does not exist/);
    assert.equal(attempts.filter((a) => a.activity === 'prepareFeatures').length, 1, 'no retry of a missing data set');
    const experiment = await mlflow.getExperimentByName(cfg.mlflow.experiment);
    const [run] = await mlflow.searchRuns([experiment!.experimentId], `tags."${mlflowTags.workflowId}" = '${workflowId}'`);
    assert.equal(run?.info.status, 'FAILED');
    assert.match(run?.data.tags.failure ?? '', /does not exist/);
    assert.equal(notices.length, 1);
    await mlflow.deleteExperiment(experiment!.experimentId).catch(() => undefined);
  });

  it('fails at once on invalid forest or boosted parameters and on invalid input, naming the field', async () => {
    const mlflow = new MlflowClient(cfg.mlflow.trackingUri);
    const badForest = await runTraining(mlflow, { forest: { numTrees: 0 } });
    assert.match(causeMessages(badForest.outcome), /invalid forest parameters: .*numTrees/);
    assert.equal(badForest.attempts.filter((a) => a.activity === 'startRun').length, 1);

    const badInput = await runTraining(mlflow, { testFraction: 1.5 });
    assert.match(causeMessages(badInput.outcome), /invalid training input: testFraction must be between 0 and 1/);
    assert.equal(badInput.attempts.filter((a) => a.activity === 'startRun').length, 0);

    const badBoosted = await runTraining(mlflow, { estimator: 'boosted', boosted: { learningRate: 0 } });
    assert.match(causeMessages(badBoosted.outcome), /invalid training input: boosted\.learningRate: expected a number in \(0, 1\]/);
    assert.equal(badBoosted.attempts.filter((a) => a.activity === 'startRun').length, 0);
  });
});
