import { decodeArray, encodeArray } from '../forest/codec';
import { ForestError, show } from '../forest/errors';
import { aritiesOf, validateFeatureSpecs, type FeatureSpec } from '../forest/feature-spec';
import type { FlatForest } from '../forest/flat-forest';
import { checkNodes } from '../forest/serialization';
import { validateNumClasses } from '../forest/training-set';
import { resolveBoostedTrainingOptions, type BoostedTrainingOptions } from './options';
import type { TrainedBoosting } from './training';

export const boostedType = 'BoostedTreesClassifier';
export const boostedVersion = 1;

type TreeArrays = 'roots' | 'feature' | 'threshold' | 'offset' | 'left' | 'right' | 'leafValues' | 'bitsets' | 'missingLeft';

/** The saved form: metadata in plain JSON, the trees' typed arrays as base64 (little-endian). */
export interface BoostedJSON {
  type: typeof boostedType;
  version: typeof boostedVersion;
  numClasses: number;
  features: FeatureSpec[];
  options: BoostedTrainingOptions;
  rounds: number;
  baseScore: number[];
  importances: number[];
  trees: Record<TreeArrays, string>;
}

export function toBoostedJSON(model: TrainedBoosting): BoostedJSON {
  const { forest } = model;
  const missingLeft = forest.missingLeft ?? new Uint8Array(forest.feature.length);
  return {
    type: boostedType,
    version: boostedVersion,
    numClasses: model.numClasses,
    features: model.features.map((f) => ({ ...f })),
    options: { ...model.options },
    rounds: model.rounds,
    baseScore: Array.from(model.baseScore),
    importances: Array.from(model.importances),
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
  if (o.version !== boostedVersion) throw new ForestError('json.version', `expected ${boostedVersion}, got ${show(o.version)}`);
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
  return {
    features: o.features,
    numClasses: k,
    options,
    rounds: rounds as number,
    baseScore: Float64Array.from(o.baseScore),
    forest,
    importances: Float64Array.from(o.importances),
    validationLoss: [],
  };
}
