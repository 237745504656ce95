import type { FlightColumn, FlightRecord } from './flight';
import type { FlightDelayModel } from './flight-delay-model';
import type { FeatureSet } from './features/flight-features';
import type { BoostedOptions } from './boosting';
import type { EstimatorKind } from './estimator';
import type { ForestOptions } from './forest';
import type { FlightLookups } from './features/lookups';
import type { SplitKind } from './split';
import { buildModel, fitEstimator, prepareTrainingData, type SplitFacts } from './training-steps';

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
  /** 'random' (default) or 'time' (train before `cutDate`, test on and after it). */
  split?: SplitKind;
  cutDate?: string;
  /** 'forest' (default, the seed's model) or 'boosted'. */
  estimator?: EstimatorKind;
  forest?: Partial<ForestOptions>;
  boosted?: Partial<BoostedOptions>;
  /** The lookup tables of the feature sets with lookups (data/lookup-tables.ts trainingLookups()). */
  lookups?: FlightLookups;
  /** treesDone counts trees (forest) or rounds (boosted). */
  onProgress?: (p: { stage: 'features' | 'training' | 'evaluation'; treesDone?: number; numTrees?: number }) => void;
}

export interface TrainingResult {
  model: FlightDelayModel;
  /** Seconds spent in each stage. */
  timings: { features: number; training: number; evaluation: number };
  /** Which rows were held out: the split's kind, cut date and the dates of each side. */
  split: SplitFacts;
}

/**
 * The seed's training job, without its defects: the pipeline is fitted on the training rows only, and
 * the model is evaluated on held-out rows (the seed reported accuracy on its training data), beside
 * the majority-class baseline. The same steps as the training workflow's activities, in memory.
 */
export async function trainModel(data: TrainingData, options: TrainOptions = {}): Promise<TrainingResult> {
  const seconds = (from: number): number => (performance.now() - from) / 1000;
  const { onProgress } = options;

  let t = performance.now();
  onProgress?.({ stage: 'features' });
  const prepared = prepareTrainingData(data.records, data.columns, {
    featureSet: options.featureSet ?? 'seed',
    testFraction: options.testFraction ?? 0.2,
    splitSeed: options.splitSeed ?? 42,
    split: options.split,
    cutDate: options.cutDate,
    ...(options.lookups ? { lookups: options.lookups } : {}),
  });
  const features = seconds(t);

  const choice = { estimator: options.estimator ?? 'forest', forest: options.forest ?? {}, boosted: options.boosted ?? {} };
  const { estimator, trainingSeconds } = await fitEstimator(prepared.xTrain, prepared.yTrain, prepared.pipeline, choice, {
    onProgress: (p) => onProgress?.({ stage: 'training', ...p }),
  });

  t = performance.now();
  onProgress?.({ stage: 'evaluation' });
  const { model } = buildModel(prepared.pipeline, estimator, prepared, {
    dataset: data.name,
    datasetHash: data.contentHash,
    trainRows: prepared.trainRows,
    testRows: prepared.testRows,
    trainingSeconds,
    featureProfile: prepared.featureProfile,
  });
  const split: SplitFacts = { split: prepared.split, cutDate: prepared.cutDate, trainDates: prepared.trainDates, testDates: prepared.testDates };
  return { model, timings: { features, training: trainingSeconds, evaluation: seconds(t) }, split };
}
