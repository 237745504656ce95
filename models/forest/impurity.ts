import type { Impurity } from './options';

/**
 * Node impurity from (bootstrap-weighted) class counts. `counts[offset .. offset+k)` are the counts,
 * `total` their sum (> 0).
 */
export function impurityOf(kind: Impurity, counts: Float64Array, offset: number, k: number, total: number): number {
  let acc = 0;
  if (kind === 'gini') {
    for (let c = 0; c < k; c++) {
      const p = counts[offset + c]! / total;
      acc += p * p;
    }
    return 1 - acc;
  }
  for (let c = 0; c < k; c++) {
    const p = counts[offset + c]! / total;
    if (p > 0) acc -= p * Math.log2(p);
  }
  return acc;
}

/**
 * Weighted impurity of the two children of a split, (wL·I(left) + wR·I(right)) / (wL + wR), where
 * the right counts are parent − left: nothing is allocated per candidate split.
 */
export function childrenImpurity(
  kind: Impurity,
  left: Float64Array,
  parent: Float64Array,
  k: number,
  leftWeight: number,
  rightWeight: number,
): number {
  let l = 0;
  let r = 0;
  if (kind === 'gini') {
    for (let c = 0; c < k; c++) {
      const cl = left[c]!;
      const cr = parent[c]! - cl;
      l += cl * cl;
      r += cr * cr;
    }
    // wL·(1 − Σ(cl/wL)²) + wR·(1 − Σ(cr/wR)²), divided by the parent weight.
    return (leftWeight - l / leftWeight + rightWeight - r / rightWeight) / (leftWeight + rightWeight);
  }
  for (let c = 0; c < k; c++) {
    const cl = left[c]!;
    const cr = parent[c]! - cl;
    if (cl > 0) l -= cl * Math.log2(cl / leftWeight);
    if (cr > 0) r -= cr * Math.log2(cr / rightWeight);
  }
  return (l + r) / (leftWeight + rightWeight);
}
