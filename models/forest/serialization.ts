import { decodeArray, encodeArray } from './codec';
import { ForestError, show } from './errors';
import { aritiesOf, validateFeatureSpecs, type FeatureSpec } from './feature-spec';
import type { FlatForest } from './flat-forest';
import { resolveTrainingOptions, type TrainingOptions } from './options';
import type { TrainedForest } from './training';
import { validateNumClasses } from './training-set';

export const forestType = 'RandomForestClassifier';
export const forestVersion = 1;

/** The saved form: small metadata in plain JSON, the forest's typed arrays as base64 (little-endian). */
export interface ForestJSON {
  type: typeof forestType;
  version: typeof forestVersion;
  numClasses: number;
  features: FeatureSpec[];
  /** The options the forest was trained with (its provenance; threads is not one of them). */
  options: TrainingOptions;
  importances: number[];
  /** base64 of the FlatForest arrays. */
  trees: Record<'roots' | 'feature' | 'threshold' | 'offset' | 'left' | 'right' | 'leafValues' | 'bitsets', string>;
}

export function toForestJSON(model: TrainedForest): ForestJSON {
  const { forest } = model;
  return {
    type: forestType,
    version: forestVersion,
    numClasses: model.numClasses,
    features: model.features.map((f) => ({ ...f })),
    options: { ...model.options },
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
    },
  };
}

/** Reads and checks a saved forest: type, version, and every index the scorer will follow. */
export function fromForestJSON(json: unknown): TrainedForest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ForestError('json', `expected a saved ${forestType} object, got ${show(json)}`);
  }
  const o = json as Partial<Record<keyof ForestJSON, unknown>>;
  if (o.type !== forestType) throw new ForestError('json.type', `expected ${show(forestType)}, got ${show(o.type)}`);
  if (o.version !== forestVersion) throw new ForestError('json.version', `expected ${forestVersion}, got ${show(o.version)}`);
  validateNumClasses(o.numClasses, 'json.numClasses');
  validateFeatureSpecs(o.features, 'json.features');
  const options = resolveTrainingOptions(o.options);
  const d = o.features.length;
  const importances = o.importances;
  if (!Array.isArray(importances) || importances.length !== d || !importances.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) {
    throw new ForestError('json.importances', `expected ${d} numbers in 0..1, got ${show(importances)}`);
  }
  const trees = o.trees;
  if (typeof trees !== 'object' || trees === null) throw new ForestError('json.trees', `expected an object, got ${show(trees)}`);
  const t = trees as Record<string, unknown>;
  const field = (name: string): string => `json.trees.${name}`;
  const forest: FlatForest = {
    numClasses: o.numClasses,
    arity: aritiesOf(o.features),
    roots: decodeArray(t.roots, Int32Array, field('roots')),
    feature: decodeArray(t.feature, Int32Array, field('feature')),
    threshold: decodeArray(t.threshold, Float64Array, field('threshold')),
    offset: decodeArray(t.offset, Int32Array, field('offset')),
    left: decodeArray(t.left, Int32Array, field('left')),
    right: decodeArray(t.right, Int32Array, field('right')),
    leafValues: decodeArray(t.leafValues, Float64Array, field('leafValues')),
    bitsets: decodeArray(t.bitsets, Uint32Array, field('bitsets')),
  };
  if (forest.roots.length !== options.numTrees) {
    throw new ForestError(field('roots'), `expected ${options.numTrees} trees (options.numTrees), got ${forest.roots.length}`);
  }
  checkNodes(forest);
  for (const v of forest.leafValues) if (!(v >= 0 && v <= 1)) throw new ForestError('json.trees.leafValues', `${v} is not a probability`);
  return { features: o.features, numClasses: o.numClasses, options, forest, importances: Float64Array.from(importances as number[]) };
}

/**
 * Every tree is a contiguous run of nodes starting at its root; a child comes after its parent within
 * the same tree (so scoring always ends at a leaf); every offset stays inside its array; leaf values
 * are finite. Shared with the boosted trees' loader.
 */
export function checkNodes(forest: FlatForest): void {
  const { roots, feature, threshold, offset, left, right, leafValues, bitsets, arity, numClasses: k } = forest;
  const nodes = feature.length;
  if ([threshold, offset, left, right].some((a) => a.length !== nodes)) {
    throw new ForestError('json.trees', `feature, threshold, offset, left and right must have one entry per node (${nodes})`);
  }
  for (const v of leafValues) if (!Number.isFinite(v)) throw new ForestError('json.trees.leafValues', `${v} is not finite`);
  if (forest.missingLeft && forest.missingLeft.length !== nodes) throw new ForestError('json.trees.missingLeft', `expected one entry per node (${nodes})`);
  const isOffset = (v: number, size: number, limit: number): boolean => Number.isInteger(v) && v >= 0 && v + size <= limit;
  for (let t = 0; t < roots.length; t++) {
    const start = roots[t]!;
    const end = t + 1 < roots.length ? roots[t + 1]! : nodes;
    if ((t === 0 ? start !== 0 : !(start > roots[t - 1]!)) || !(start < end)) {
      throw new ForestError(`json.trees.roots[${t}]`, `${start} does not start a non-empty run of nodes after the previous tree's`);
    }
    for (let i = start; i < end; i++) {
      const f = feature[i]!;
      const s = offset[i]!;
      const bad = (what: string): ForestError => new ForestError(`json.trees node ${i} (tree ${t})`, what);
      if (f === -1) {
        if (!isOffset(s, k, leafValues.length)) throw bad(`leaf offset ${s} is outside leafValues`);
        continue;
      }
      if (!(f >= 0 && f < arity.length)) throw bad(`feature ${f} is not -1 or a feature index 0..${arity.length - 1}`);
      for (const child of [left[i]!, right[i]!]) if (!(child > i && child < end)) throw bad(`child ${child} is not after the node in the same tree`);
      const a = arity[f]!;
      if (a > 0 && !isOffset(s, Math.ceil((a + 1) / 32), bitsets.length)) throw bad(`bitset offset ${s} is outside bitsets`);
      if (a === 0 && Number.isNaN(threshold[i])) throw bad('threshold is NaN');
    }
  }
}
