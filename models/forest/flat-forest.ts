import type { GrownTree } from './tree-builder';

/**
 * A whole forest as a few typed arrays, the form that is scored and saved. Node i of any tree:
 * `feature[i]` is −1 for a leaf; a numeric split sends x ≤ `threshold[i]` left; a categorical split
 * sends category c left when bit c of its bitset (at word `offset[i]` of `bitsets`) is set, bit
 * `arity` standing for any value outside 0..arity-1; a leaf's k class probabilities start at
 * `offset[i]` of `leafValues`. `left[i]`/`right[i]` are children, always after i in the same tree.
 * A missing numeric value (NaN) goes right, unless `missingLeft[i]` is 1 (boosted trees learn it).
 */
export interface FlatForest {
  numClasses: number;
  /** Per feature: the arity of a categorical feature, 0 for a numeric one. */
  arity: Int32Array;
  /** The root node of each tree. */
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  offset: Int32Array;
  left: Int32Array;
  right: Int32Array;
  leafValues: Float64Array;
  bitsets: Uint32Array;
  /** Per node: 1 when a numeric split sends NaN left. Absent: none does (every forest). */
  missingLeft?: Uint8Array;
}

/** Concatenates grown trees (in tree order) into one FlatForest, turning threshold bins into values. */
export function assembleForest(
  trees: readonly GrownTree[],
  thresholds: readonly (Float64Array | null)[],
  arity: Int32Array,
  numClasses: number,
): FlatForest {
  const sum = (f: (t: GrownTree) => number): number => trees.reduce((s, t) => s + f(t), 0);
  const nodes = sum((t) => t.feature.length);
  const forest: FlatForest = {
    numClasses,
    arity,
    roots: new Int32Array(trees.length),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    offset: new Int32Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    leafValues: new Float64Array(sum((t) => t.leafValues.length)),
    bitsets: new Uint32Array(sum((t) => t.bitsets.length)),
  };
  const missingLeft = new Uint8Array(nodes);
  let nodeBase = 0;
  let leafBase = 0;
  let bitsBase = 0;
  trees.forEach((t, i) => {
    forest.roots[i] = nodeBase;
    for (let j = 0; j < t.feature.length; j++) {
      const at = nodeBase + j;
      const f = t.feature[j]!;
      const s = t.split[j]!;
      forest.feature[at] = f;
      missingLeft[at] = t.missingLeft[j]!;
      forest.left[at] = f < 0 ? -1 : nodeBase + t.left[j]!;
      forest.right[at] = f < 0 ? -1 : nodeBase + t.right[j]!;
      if (f < 0) forest.offset[at] = leafBase + s;
      else if (arity[f]! > 0) forest.offset[at] = bitsBase + s;
      else forest.threshold[at] = thresholds[f]![s]!;
    }
    forest.leafValues.set(t.leafValues, leafBase);
    forest.bitsets.set(t.bitsets, bitsBase);
    nodeBase += t.feature.length;
    leafBase += t.leafValues.length;
    bitsBase += t.bitsets.length;
  });
  if (missingLeft.includes(1)) forest.missingLeft = missingLeft;
  return forest;
}

/** Spark's feature importances: each tree's Σ gain × weight normalised, summed over trees, normalised. */
export function combineImportances(trees: readonly GrownTree[], numFeatures: number): Float64Array {
  const out = new Float64Array(numFeatures);
  for (const t of trees) {
    const total = t.importances.reduce((a, b) => a + b, 0);
    if (total > 0) for (let f = 0; f < numFeatures; f++) out[f] = out[f]! + t.importances[f]! / total;
  }
  const total = out.reduce((a, b) => a + b, 0);
  if (total > 0) for (let f = 0; f < numFeatures; f++) out[f] = out[f]! / total;
  return out;
}
