/** Turns margins `v[o..o+k)` into probabilities in place (shifted by their maximum, so exp never overflows). */
export function softmaxInPlace(v: Float64Array, o: number, k: number): void {
  let max = -Infinity;
  for (let c = o; c < o + k; c++) if (v[c]! > max) max = v[c]!;
  let sum = 0;
  for (let c = o; c < o + k; c++) {
    const e = Math.exp(v[c]! - max);
    v[c] = e;
    sum += e;
  }
  for (let c = o; c < o + k; c++) v[c] = v[c]! / sum;
}
