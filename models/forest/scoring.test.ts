import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../random';
import type { FlatForest } from './flat-forest';
import { fromForestJSON } from './serialization';
import { ForestScorer } from './scoring';
import { fitForest } from '../../test/support/forest-fit';
import { syntheticSet } from '../../test/support/forest-data';

/** Walks each tree node by node, straight from the FlatForest definition. */
function referenceProba(forest: FlatForest, row: Float64Array): number[] {
  const k = forest.numClasses;
  const sum = new Array<number>(k).fill(0);
  for (const root of forest.roots) {
    let node = root;
    while (forest.feature[node]! >= 0) {
      const f = forest.feature[node]!;
      const x = row[f]!;
      const a = forest.arity[f]!;
      let left: boolean;
      if (a === 0) left = x <= forest.threshold[node]!;
      else {
        const c = Number.isInteger(x) && x >= 0 && x < a ? x : a;
        left = ((forest.bitsets[forest.offset[node]! + Math.floor(c / 32)]! >>> c % 32) & 1) === 1;
      }
      node = left ? forest.left[node]! : forest.right[node]!;
    }
    for (let c = 0; c < k; c++) sum[c]! += forest.leafValues[forest.offset[node]! + c]!;
  }
  return sum.map((v) => v / forest.roots.length);
}

describe('batch scoring', () => {
  it('matches a node-by-node walk, for any row count and for unknown categories', async () => {
    const set = syntheticSet({ rows: 3000, numeric: 2, noise: 1, arities: [7, 70], seed: 4 });
    const trained = await fitForest(set, { numTrees: 7, maxDepth: 6 });
    const forest = fromForestJSON(trained.toJSON()).forest;
    const d = set.features.length;
    const rng = new Random(1);
    const rows = 203;
    const X = set.X.slice(0, rows * d);
    // Scramble some categories: unseen, out of range, negative, fractional.
    for (let i = 0; i < rows; i += 3) X[i * d + 3] = [6, 7, 1000, -1, 2.5][rng.nextInt(5)]!;
    for (let i = 1; i < rows; i += 3) X[i * d + 4] = rng.nextInt(90);
    for (const n of [0, 1, 2, 3, 4, 5, 8, 203]) {
      const out = new Float64Array(n * forest.numClasses);
      new ForestScorer(forest).predictProbaInto(X, n, out);
      for (let r = 0; r < n; r++) {
        const expected = referenceProba(forest, X.subarray(r * d, (r + 1) * d));
        const got = Array.from(out.subarray(r * forest.numClasses, (r + 1) * forest.numClasses));
        for (let c = 0; c < forest.numClasses; c++) assert.ok(Math.abs(got[c]! - expected[c]!) < 1e-12, `row ${r} of ${n}`);
      }
    }
  });
});
