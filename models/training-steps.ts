/**
 * The steps of training, one function each, with no I/O: `trainModel` runs them in memory, and the
 * training workflow's activities run the same functions with a work folder between them.
 */
import type { FlightColumn, FlightRecord } from './flight';
import { FlightDelayModel } from './flight-delay-model';
import { delayClassLabels, numDelayClasses } from './features/delay-classes';
import type { FeatureSet } from './features/flight-features';
import { FeaturePipeline, delayLabels } from './features/pipeline';
import type { FlightLookups } from './features/lookups';
import { createEstimator, type Estimator, type EstimatorChoice } from './estimator';
import type { FitHooks } from './forest';
import { evaluate, majorityClass, type Evaluation } from './metrics';
import { fitFeatureProfile, type FeatureProfile } from './feature-profile';
import { dateRange, defaultCutDate, pick, timeSplit, trainTestSplit, type SplitKind } from './split';

export interface PrepareOptions {
  featureSet: FeatureSet;
  /** Held-out share of the rows, in (0, 1), for the random split. */
  testFraction: number;
  splitSeed: number;
  /** 'random' (default): a seeded share of the rows; 'time': the flights on or after `cutDate`. */
  split?: SplitKind;
  /** "YYYY-MM-DD"; for the time split, default: the date that holds out the data's last two months. */
  cutDate?: string;
  /**
   * The lookup tables of the feature sets with lookups (data/lookup-tables.ts trainingLookups(), the
   * rows the scorers load from MongoDB); without them every looked-up feature is missing.
   */
  lookups?: FlightLookups;
}

/** What a split was: its kind, its cut date (time split), and the dates each side spans. */
export interface SplitFacts {
  split: SplitKind;
  cutDate?: string;
  trainDates: { first: string; last: string };
  testDates: { first: string; last: string };
}

/** The labelled feature matrices of both sides of the split: what the estimator is fitted and evaluated on. */
export interface LabelledMatrices {
  /** Row-major, one row per flight, `pipeline.numFeatures` columns. */
  xTrain: Float64Array;
  yTrain: Uint8Array;
  xTest: Float64Array;
  yTest: Uint8Array;
}

export interface PreparedData extends LabelledMatrices, SplitFacts {
  /** Fitted on the training rows only, so nothing of the held-out rows leaks into the features. */
  pipeline: FeaturePipeline;
  /** The held-out flights as given: another model (the champion) scores them with its own pipeline. */
  testRecords: FlightRecord[];
  trainRows: number;
  testRows: number;
  features: string[];
  /** Each feature's distribution on the training rows, kept with the model for the monitor's drift. */
  featureProfile: FeatureProfile;
}

/**
 * Splits the records (seeded at random, or by a cut date), fits the feature pipeline on the training
 * side and builds both matrices.
 */
export function prepareTrainingData(records: readonly FlightRecord[], columns: readonly FlightColumn[], options: PrepareOptions): PreparedData {
  const kind = options.split ?? 'random';
  if (kind === 'random' && options.cutDate !== undefined) throw new RangeError('prepareTrainingData: a cutDate is for the time split only');
  const dates = kind === 'time' ? records.map((r) => r.FlightDate) : [];
  const cutDate = kind === 'time' ? (options.cutDate ?? defaultCutDate(dates)) : undefined;
  const split = cutDate !== undefined ? timeSplit(dates, cutDate) : trainTestSplit(records.length, options.testFraction, options.splitSeed);
  const trainRecords = pick(records, split.train);
  const testRecords = pick(records, split.test);
  const span = (rs: readonly FlightRecord[]): { first: string; last: string } => {
    const [first, last] = dateRange(rs.map((r) => r.FlightDate));
    return { first, last };
  };
  const pipeline = FeaturePipeline.fit(trainRecords, { columns, featureSet: options.featureSet });
  const xTrain = pipeline.transform(trainRecords, options.lookups);
  return {
    pipeline,
    xTrain,
    yTrain: delayLabels(trainRecords),
    xTest: pipeline.transform(testRecords, options.lookups),
    yTest: delayLabels(testRecords),
    testRecords,
    trainRows: trainRecords.length,
    testRows: testRecords.length,
    features: [...pipeline.features],
    featureProfile: fitFeatureProfile(xTrain, pipeline.featureSpecs()),
    split: kind,
    cutDate,
    trainDates: span(trainRecords),
    testDates: span(testRecords),
  };
}

/**
 * Fits the chosen estimator (random forest or boosted trees) on the training matrix. Its options are
 * checked before any work, so a bad one throws a ForestError naming it (`options.numTrees: …`) at
 * once. `trainingSeconds` is the fit alone.
 */
export async function fitEstimator(
  xTrain: Float64Array,
  yTrain: Uint8Array,
  pipeline: FeaturePipeline,
  choice: EstimatorChoice,
  hooks: FitHooks = {},
): Promise<{ estimator: Estimator; trainingSeconds: number }> {
  const estimator = createEstimator(choice);
  const started = performance.now();
  await estimator.fit(xTrain, yTrain, pipeline.featureSpecs(), numDelayClasses, hooks);
  return { estimator, trainingSeconds: (performance.now() - started) / 1000 };
}

/**
 * Scores the held-out rows and measures them beside the majority-class baseline, the majority taken
 * over `yTrain` (a model is compared with what it could have learnt from its training labels alone).
 */
export function evaluateEstimator(estimator: Estimator, xTest: Float64Array, yTest: Uint8Array, yTrain: Uint8Array): Evaluation {
  const proba = estimator.predictProba(xTest, yTest.length);
  return evaluate(yTest, proba, delayClassLabels, majorityClass(yTrain, numDelayClasses));
}

/** What the model records about its training beside its held-out evaluation. */
export interface TrainingFacts {
  dataset: string;
  datasetHash: string;
  trainRows: number;
  testRows: number;
  trainingSeconds: number;
  featureProfile?: FeatureProfile;
}

/** Evaluates the fitted estimator on the held-out rows and bundles it with its pipeline as the model. */
export function buildModel(
  pipeline: FeaturePipeline,
  estimator: Estimator,
  data: Omit<LabelledMatrices, 'xTrain'>,
  facts: TrainingFacts,
): { evaluation: Evaluation; model: FlightDelayModel } {
  const evaluation = evaluateEstimator(estimator, data.xTest, data.yTest, data.yTrain);
  const model = new FlightDelayModel(pipeline, estimator, {
    dataset: facts.dataset,
    datasetHash: facts.datasetHash,
    trainRows: facts.trainRows,
    testRows: facts.testRows,
    evaluation,
    trainedAt: new Date().toISOString(),
    trainingSeconds: facts.trainingSeconds,
    ...(facts.featureProfile ? { featureProfile: facts.featureProfile } : {}),
  });
  return { evaluation, model };
}
