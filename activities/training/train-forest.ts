import { Context } from '@temporalio/activity';
import type { FeatureSpec } from '../../models/forest';
import { FeaturePipeline } from '../../models/features/pipeline';
import { numDelayClasses } from '../../models/features/delay-classes';
import { RandomForestClassifier } from '../../models/forest';
import { nonRetryable, nonRetryableTypes } from './failures';
import type { TrainingHeartbeat, TrainInput, TrainResult } from './types';
import { files, readFloat64, readJson, readUint8, writeJson } from './work-folder';

/** Forest options are checked before any work, so a bad one fails the workflow at once, naming it. */
export function checkedForest(options: TrainInput['forest']): RandomForestClassifier {
  try {
    return new RandomForestClassifier(options);
  } catch (err) {
    throw nonRetryable(nonRetryableTypes.invalidInput, `invalid forest parameters: ${(err as Error).message}`, err);
  }
}

/** The DAG's "train classifier" task: fits the forest on the prepared training matrix, heartbeating each tree. */
export async function trainForest(input: TrainInput): Promise<TrainResult> {
  const ctx = Context.current();
  const forest = checkedForest(input.forest);
  const pipeline = FeaturePipeline.load(readJson(input.dir, files.pipeline));
  const specs: FeatureSpec[] = pipeline.featureSpecs();
  const X = readFloat64(input.dir, files.trainX);
  const y = readUint8(input.dir, files.trainY);
  const started = performance.now();
  await forest.fit(X, y, specs, numDelayClasses, {
    onProgress: (p) => ctx.heartbeat({ stage: 'train', ...p } satisfies TrainingHeartbeat),
    signal: ctx.cancellationSignal,
  });
  const trainingSeconds = (performance.now() - started) / 1000;
  writeJson(input.dir, files.forest, forest);
  return { forestFile: files.forest, trainingSeconds, numTrees: forest.options.numTrees };
}
