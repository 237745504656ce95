import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { deriveSeed } from '../random';
import { binTrainingSet, numericThresholds, type BinnedData } from './binning';
import { aritiesOf, type FeatureSpec } from './feature-spec';
import { assembleForest, combineImportances, type FlatForest } from './flat-forest';
import { featuresPerNode, type ForestOptions, type TrainingOptions } from './options';
import type { GrownTree } from './tree-builder';
import { TreeGrower, type GrowParams } from './tree-grower';
import { growInWorkers } from './worker-pool';

export interface FitProgress {
  treesDone: number;
  numTrees: number;
}

export interface FitHooks {
  /** Called after each tree (from the event loop, so a Temporal heartbeat sent here goes out). */
  onProgress?: (progress: FitProgress) => void;
  /** Stops training between trees (and terminates the workers); fit then rejects with the reason. */
  signal?: AbortSignal;
}

/** What training produces: everything the classifier scores with and saves. */
export interface TrainedForest {
  features: FeatureSpec[];
  numClasses: number;
  options: TrainingOptions;
  forest: FlatForest;
  importances: Float64Array;
}

/** Independent random streams of one forest seed. */
const streams = { binning: 1, trees: 2 } as const;

/** Trains a forest on a validated training set (see validateTrainingSet). */
export async function trainForest(
  X: Float64Array,
  y: Uint8Array,
  features: readonly FeatureSpec[],
  numClasses: number,
  options: ForestOptions,
  hooks: FitHooks = {},
): Promise<TrainedForest> {
  const { threads, ...trainingOptions } = options;
  const { numTrees, seed } = options;
  const workers = Math.min(threads, numTrees);
  const thresholds = numericThresholds(X, y.length, features, options.maxBins, deriveSeed(seed, streams.binning));
  const data = binTrainingSet(X, y, features, thresholds, numClasses, workers > 1);
  const params: GrowParams = {
    maxDepth: options.maxDepth,
    minInstancesPerNode: options.minInstancesPerNode,
    minInfoGain: options.minInfoGain,
    featuresPerNode: featuresPerNode(options.featureSubsetStrategy, features.length, numTrees),
    subsamplingRate: options.subsamplingRate,
    bootstrap: options.bootstrap,
    impurity: options.impurity,
  };
  const seeds = Array.from({ length: numTrees }, (_, t) => deriveSeed(seed, streams.trees, t));
  let treesDone = 0;
  const onTree = (): void => hooks.onProgress?.({ treesDone: ++treesDone, numTrees });
  const trees =
    workers > 1
      ? await growInWorkers(data, params, seeds, workers, onTree, hooks.signal)
      : await growInThread(data, params, seeds, onTree, hooks.signal);
  const arity = aritiesOf(features);
  return {
    features: features.map((f) => ({ ...f })),
    numClasses,
    options: trainingOptions,
    forest: assembleForest(trees, thresholds, arity, numClasses),
    importances: combineImportances(trees, features.length),
  };
}

/** threads = 1: grows the trees here, yielding to the event loop between trees. */
async function growInThread(
  data: BinnedData,
  params: GrowParams,
  seeds: readonly number[],
  onTree: (index: number, tree: GrownTree) => void,
  signal?: AbortSignal,
): Promise<GrownTree[]> {
  const grower = new TreeGrower(data, params);
  const trees: GrownTree[] = [];
  for (const [index, seed] of seeds.entries()) {
    signal?.throwIfAborted();
    const tree = grower.grow(seed);
    trees.push(tree);
    onTree(index, tree);
    await yieldToEventLoop();
  }
  signal?.throwIfAborted();
  return trees;
}
