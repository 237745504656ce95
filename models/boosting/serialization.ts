import { decodeArray, encodeArray } from '../forest/codec';
import { ForestError, show } from '../forest/errors';
import { aritiesOf, validateFeatureSpecs, type FeatureSpec } from '../forest/feature-spec';
import type { FlatForest } from '../forest/flat-forest';
import { checkNodes } from '../forest/serialization';
import { validateNumClasses } from '../forest/training-set';
import type { ObliviousEnsemble } from './oblivious-ensemble';
import { maxObliviousDepth, resolveBoostedTrainingOptions, type BoostedTrainingOptions } from './options';
import type { TrainedBoosting } from './training';

export const boostedType = 'BoostedTreesClassifier';
/** Version 2 added oblivious trees (`oblivious`, options.treeShape); version 1 files (leaf-wise) still load. */
export const boostedVersion = 2;
const readableVersions = [1, 2];

type TreeArrays = 'roots' | 'feature' | 'threshold' | 'offset' | 'left' | 'right' | 'leafValues' | 'bitsets' | 'missingLeft';

/** The saved form: metadata in plain JSON, the trees' typed arrays as base64 (little-endian). */
export interface BoostedJSON {
  type: typeof boostedType;
  version: number;
  numClasses: number;
  features: FeatureSpec[];
  options: BoostedTrainingOptions;
  rounds: number;
  baseScore: number[];
  importances: number[];
  /** Leaf-wise trees. */
  trees?: Record<TreeArrays, string>;
  /** Oblivious trees: their depth, and per level and leaf the arrays of ObliviousEnsemble. */
  oblivious?: { depth: number; feature: string; threshold: string; leafValues: string };
}

export function toBoostedJSON(model: TrainedBoosting): BoostedJSON {
  const head = {
    type: boostedType as typeof boostedType,
    version: boostedVersion,
    numClasses: model.numClasses,
    features: model.features.map((f) => ({ ...f })),
    options: { ...model.options },
    rounds: model.rounds,
    baseScore: Array.from(model.baseScore),
    importances: Array.from(model.importances),
  };
  const { forest, oblivious } = model;
  if (oblivious) {
    const { depth, feature, threshold, leafValues } = oblivious;
    return { ...head, oblivious: { depth, feature: encodeArray(feature), threshold: encodeArray(threshold), leafValues: encodeArray(leafValues) } };
  }
  if (!forest) throw new TypeError('toBoostedJSON: the model holds no trees');
  const missingLeft = forest.missingLeft ?? new Uint8Array(forest.feature.length);
  return {
    ...head,
    trees: {
      roots: encodeArray(forest.roots),
      feature: encodeArray(forest.feature),
      threshold: encodeArray(forest.threshold),
      offset: encodeArray(forest.offset),
      left: encodeArray(forest.left),
      right: encodeArray(forest.right),
      leafValues: encodeArray(forest.leafValues),
      bitsets: encodeArray(forest.bitsets),
      missingLeft: encodeArray(missingLeft),
    },
  };
}

/** Reads and checks saved boosted trees: type, version, and every index the scorer will follow. */
export function fromBoostedJSON(json: unknown): TrainedBoosting {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ForestError('json', `expected a saved ${boostedType} object, got ${show(json)}`);
  }
  const o = json as Partial<Record<keyof BoostedJSON, unknown>>;
  if (o.type !== boostedType) throw new ForestError('json.type', `expected ${show(boostedType)}, got ${show(o.type)}`);
  if (!readableVersions.includes(o.version as number)) throw new ForestError('json.version', `expected ${readableVersions.join(' or ')}, got ${show(o.version)}`);
  validateNumClasses(o.numClasses, 'json.numClasses');
  validateFeatureSpecs(o.features, 'json.features');
  const options = resolveBoostedTrainingOptions(o.options);
  const k = o.numClasses;
  const d = o.features.length;
  const numbers = (v: unknown, length: number, ok: (x: number) => boolean): v is number[] => Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && ok(x));
  if (!numbers(o.importances, d, (x) => x >= 0 && x <= 1)) throw new ForestError('json.importances', `expected ${d} numbers in 0..1, got ${show(o.importances)}`);
  if (!numbers(o.baseScore, k, Number.isFinite)) throw new ForestError('json.baseScore', `expected ${k} finite numbers, got ${show(o.baseScore)}`);
  const rounds = o.rounds;
  if (!Number.isInteger(rounds) || (rounds as number) < 1 || (rounds as number) > options.numRounds) {
    throw new ForestError('json.rounds', `expected an integer in 1..${options.numRounds} (options.numRounds), got ${show(rounds)}`);
  }
  const common = {
    features: o.features,
    numClasses: k,
    options,
    rounds: rounds as number,
    baseScore: Float64Array.from(o.baseScore),
    importances: Float64Array.from(o.importances),
    validationLoss: [],
  };
  if (options.treeShape === 'oblivious') return { ...common, oblivious: readOblivious(o.oblivious, rounds as number, k, d) };
  const trees = o.trees;
  if (typeof trees !== 'object' || trees === null) throw new ForestError('json.trees', `expected an object, got ${show(trees)}`);
  const t = trees as Record<string, unknown>;
  const field = (name: string): string => `json.trees.${name}`;
  const missingLeft = decodeArray(t.missingLeft, Uint8Array, field('missingLeft'));
  if (!missingLeft.every((v) => v === 0 || v === 1)) throw new ForestError(field('missingLeft'), 'expected 0 or 1 per node');
  const forest: FlatForest = {
    numClasses: k,
    arity: aritiesOf(o.features),
    roots: decodeArray(t.roots, Int32Array, field('roots')),
    feature: decodeArray(t.feature, Int32Array, field('feature')),
    threshold: decodeArray(t.threshold, Float64Array, field('threshold')),
    offset: decodeArray(t.offset, Int32Array, field('offset')),
    left: decodeArray(t.left, Int32Array, field('left')),
    right: decodeArray(t.right, Int32Array, field('right')),
    leafValues: decodeArray(t.leafValues, Float64Array, field('leafValues')),
    bitsets: decodeArray(t.bitsets, Uint32Array, field('bitsets')),
    missingLeft,
  };
  if (forest.roots.length !== (rounds as number) * k) {
    throw new ForestError(field('roots'), `expected ${(rounds as number) * k} trees (rounds × classes), got ${forest.roots.length}`);
  }
  checkNodes(forest);
  return { ...common, forest };
}

/** Reads saved oblivious trees and checks every index the scorer will follow. */
function readOblivious(json: unknown, rounds: number, k: number, d: number): ObliviousEnsemble {
  if (typeof json !== 'object' || json === null) throw new ForestError('json.oblivious', `expected an object (options.treeShape is "oblivious"), got ${show(json)}`);
  const o = json as Record<string, unknown>;
  const depth = o.depth;
  if (!Number.isInteger(depth) || (depth as number) < 1 || (depth as number) > maxObliviousDepth) {
    throw new ForestError('json.oblivious.depth', `expected an integer in 1..${maxObliviousDepth}, got ${show(depth)}`);
  }
  const levels = rounds * (depth as number);
  const feature = decodeArray(o.feature, Int32Array, 'json.oblivious.feature');
  const threshold = decodeArray(o.threshold, Float64Array, 'json.oblivious.threshold');
  const leafValues = decodeArray(o.leafValues, Float64Array, 'json.oblivious.leafValues');
  if (feature.length !== levels || threshold.length !== levels) {
    throw new ForestError('json.oblivious.feature', `expected ${levels} levels (rounds × depth) of features and thresholds, got ${feature.length} and ${threshold.length}`);
  }
  if (!feature.every((f) => f >= 0 && f < d)) throw new ForestError('json.oblivious.feature', `expected feature indices in 0..${d - 1}`);
  if (threshold.some(Number.isNaN)) throw new ForestError('json.oblivious.threshold', 'expected numbers, got NaN');
  if (!leafValues.every(Number.isFinite)) throw new ForestError('json.oblivious.leafValues', 'expected finite numbers');
  if (leafValues.length !== rounds * (1 << (depth as number)) * k) {
    throw new ForestError('json.oblivious.leafValues', `expected ${rounds * (1 << (depth as number)) * k} values (rounds × 2^depth × classes), got ${leafValues.length}`);
  }
  return { numClasses: k, depth: depth as number, feature, threshold, leafValues };
}
