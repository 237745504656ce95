import { Context } from '@temporalio/activity';
import { FeaturePipeline } from '../../models/features/pipeline';
import type { ForestOptions } from '../../models/forest';
import { resolveForestOptions } from '../../models/forest/options';
import { fitForest } from '../../models/training-steps';
import { nonRetryable, nonRetryableTypes } from './failures';
import type { TrainingHeartbeat, TrainInput, TrainResult } from './types';
import { files, type WorkFolder } from './work-folder';

/**
 * Forest options are checked before any work, so a bad one fails the workflow at once, naming it:
 * the same check the forest makes when it is built, turned into a failure no retry would fix.
 */
export function checkedForestOptions(options: TrainInput['forest']): ForestOptions {
  try {
    return resolveForestOptions(options);
  } catch (err) {
    throw nonRetryable(nonRetryableTypes.invalidInput, `invalid forest parameters: ${(err as Error).message}`, err);
  }
}

/** The DAG's "train classifier" task: fits the forest on the prepared training matrix, heartbeating each tree. */
export async function trainForest(folder: WorkFolder, input: TrainInput): Promise<TrainResult> {
  const ctx = Context.current();
  checkedForestOptions(input.forest);
  const pipeline = FeaturePipeline.load(await folder.readJson(files.pipeline));
  const { forest, trainingSeconds } = await fitForest(await folder.readFloat64(files.trainX), await folder.readUint8(files.trainY), pipeline, input.forest, {
    onProgress: (p) => ctx.heartbeat({ stage: 'train', ...p } satisfies TrainingHeartbeat),
    signal: ctx.cancellationSignal,
  });
  await folder.writeJson(files.forest, forest);
  return { forestFile: files.forest, trainingSeconds, numTrees: forest.options.numTrees };
}
