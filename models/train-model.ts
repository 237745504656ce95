import type { FlightColumn, FlightRecord } from './flight';
import { FlightDelayModel } from './flight-delay-model';
import { delayClassLabels, numDelayClasses } from './features/delay-classes';
import type { FeatureSet } from './features/flight-features';
import { FeaturePipeline, delayLabels } from './features/pipeline';
import { RandomForestClassifier, type ForestOptions } from './forest';
import { evaluate, majorityClass } from './metrics';
import { pick, trainTestSplit } from './split';

export interface TrainingData {
  name: string;
  contentHash: string;
  records: readonly FlightRecord[];
  /** The columns the data set has. */
  columns: readonly FlightColumn[];
}

export interface TrainOptions {
  featureSet?: FeatureSet;
  /** Held-out share of the rows; 0.2 by default (the seed's 80/20). */
  testFraction?: number;
  splitSeed?: number;
  forest?: Partial<ForestOptions>;
  onProgress?: (p: { stage: 'features' | 'training' | 'evaluation'; treesDone?: number; numTrees?: number }) => void;
}

export interface TrainingResult {
  model: FlightDelayModel;
  /** Seconds spent in each stage. */
  timings: { features: number; training: number; evaluation: number };
}

/**
 * The seed's training job, without its defects: the pipeline is fitted on the training rows only, and
 * the model is evaluated on held-out rows (the seed reported accuracy on its training data), beside
 * the majority-class baseline.
 */
export async function trainModel(data: TrainingData, options: TrainOptions = {}): Promise<TrainingResult> {
  const seconds = (from: number): number => (performance.now() - from) / 1000;
  const { onProgress } = options;

  let t = performance.now();
  onProgress?.({ stage: 'features' });
  const split = trainTestSplit(data.records.length, options.testFraction ?? 0.2, options.splitSeed ?? 42);
  const trainRecords = pick(data.records, split.train);
  const testRecords = pick(data.records, split.test);
  const pipeline = FeaturePipeline.fit(trainRecords, { columns: data.columns, featureSet: options.featureSet ?? 'seed' });
  const xTrain = pipeline.transform(trainRecords);
  const yTrain = delayLabels(trainRecords);
  const features = seconds(t);

  t = performance.now();
  const forest = new RandomForestClassifier(options.forest ?? {});
  await forest.fit(xTrain, yTrain, pipeline.featureSpecs(), numDelayClasses, {
    onProgress: (p) => onProgress?.({ stage: 'training', ...p }),
  });
  const training = seconds(t);

  t = performance.now();
  onProgress?.({ stage: 'evaluation' });
  const proba = forest.predictProba(pipeline.transform(testRecords), testRecords.length);
  const evaluation = evaluate(delayLabels(testRecords), proba, delayClassLabels, majorityClass(yTrain, numDelayClasses));
  const evaluationSeconds = seconds(t);

  const model = new FlightDelayModel(pipeline, forest, {
    dataset: data.name,
    datasetHash: data.contentHash,
    trainRows: trainRecords.length,
    testRows: testRecords.length,
    evaluation,
    trainedAt: new Date().toISOString(),
    trainingSeconds: training,
  });
  return { model, timings: { features, training, evaluation: evaluationSeconds } };
}
