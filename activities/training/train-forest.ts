import { Context } from '@temporalio/activity';
import { FeaturePipeline } from '../../models/features/pipeline';
import { resolvedEstimatorOptions, saveEstimator, type EstimatorChoice } from '../../models/estimator';
import { fitEstimator } from '../../models/training-steps';
import { keptAlive } from '../heartbeats';
import { nonRetryable, nonRetryableTypes } from './failures';
import type { TrainingHeartbeat, TrainInput, TrainResult } from './types';
import { files, type WorkFolder } from './work-folder';

/** The estimator of an activity input; inputs scheduled before the boosted trees carry a forest's options only. */
export function estimatorChoice(input: Pick<TrainInput, 'estimator' | 'forest' | 'boosted'>): EstimatorChoice {
  return { estimator: input.estimator ?? 'forest', forest: input.forest, boosted: input.boosted ?? {} };
}

/**
 * The chosen estimator's options, checked before any work, so a bad one fails the workflow at once,
 * naming it: the same check the estimator makes when it is built, turned into a failure no retry
 * would fix. Returns them with their defaults filled in.
 */
export function checkedEstimatorOptions(choice: EstimatorChoice): Record<string, string | number | boolean> {
  try {
    return resolvedEstimatorOptions(choice);
  } catch (err) {
    throw nonRetryable(nonRetryableTypes.invalidInput, `invalid ${choice.estimator} parameters: ${(err as Error).message}`, err);
  }
}

/**
 * The DAG's "train classifier" task (the activity keeps its first name, trainForest, which workflow
 * histories replay against): fits the chosen estimator — random forest or boosted trees — on the
 * prepared training matrix, heartbeating each tree (forest) or round (boosted).
 */
export async function trainForest(folder: WorkFolder, input: TrainInput): Promise<TrainResult> {
  const ctx = Context.current();
  const choice = estimatorChoice(input);
  const options = checkedEstimatorOptions(choice);
  let progress: TrainingHeartbeat = { stage: 'train', treesDone: 0, numTrees: Number(options.numTrees ?? options.numRounds) };
  // Heartbeats go on while the matrices are read and the model written (a large one takes a while).
  return keptAlive(ctx, () => progress, async (beats) => {
    const pipeline = FeaturePipeline.load(await folder.readJson(files.pipeline));
    const { estimator, trainingSeconds } = await fitEstimator(await folder.readFloat64(files.trainX), await folder.readUint8(files.trainY), pipeline, choice, {
      onProgress: (p) => {
        progress = { stage: 'train', ...p };
        beats.beat();
      },
      signal: ctx.cancellationSignal,
    });
    progress = { stage: 'save' };
    await folder.writeJson(files.estimator, saveEstimator(estimator));
    return { estimatorFile: files.estimator, estimator: choice.estimator, trainingSeconds, trees: estimator.numTrees };
  });
}
