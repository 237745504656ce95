/**
 * The distribution of each feature a model was trained on, kept with the model (ModelInfo.featureProfile),
 * and what the monitor compares live flights with: each scored flight's features are binned by the same
 * profile into one character a feature (`profileCodes`), filed with its prediction, and counted per window
 * (`FeatureDriftAccumulator`) into a population stability index per feature.
 *
 * Bins: a numeric feature's deciles of its training values (fewer when values repeat), then one bin for
 * missing values (NaN); a categorical feature's most frequent training categories, one bin for every other
 * category, one for missing.
 */
import type { FeatureSpec } from './forest';
import { populationStabilityIndex } from './monitoring';

export interface NumericFeatureProfile {
  name: string;
  kind: 'numeric';
  /** Upper edges of all bins but the last: bin i holds edges[i-1] < v ≤ edges[i]. */
  edges: number[];
  /** Share of the training rows in each bin: edges.length + 1 value bins, then missing. */
  shares: number[];
}

export interface CategoricalFeatureProfile {
  name: string;
  kind: 'categorical';
  /** The category indexes with a bin of their own, most frequent first. */
  categories: number[];
  /** Share of the training rows in each bin: one per category, then every other category, then missing. */
  shares: number[];
}

export type FeatureBinProfile = NumericFeatureProfile | CategoricalFeatureProfile;

export interface FeatureProfile {
  /** Training rows the shares were counted on. */
  rows: number;
  features: FeatureBinProfile[];
}

/** The bin codes' characters: bin i of a feature is codeAlphabet[i]. */
const codeAlphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const numericBins = 10;
/** Categories with a bin of their own at most: with "other" and "missing", within the alphabet. */
const maxCategoryBins = 20;

const binCount = (f: FeatureBinProfile): number => f.shares.length;

/** The bin of `value` in feature profile `f`. */
export function binOf(f: FeatureBinProfile, value: number): number {
  const n = binCount(f);
  if (Number.isNaN(value)) return n - 1;
  if (f.kind === 'categorical') {
    const at = f.categories.indexOf(value);
    return at >= 0 ? at : n - 2;
  }
  let lo = 0;
  let hi = f.edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= f.edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function numericProfile(name: string, values: Float64Array): NumericFeatureProfile {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  const edges: number[] = [];
  for (let q = 1; q < numericBins && present.length > 0; q++) {
    const edge = present[Math.min(present.length - 1, Math.floor((q * present.length) / numericBins))]!;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  // The top decile's edge equal to the maximum would leave the last bin empty in training: drop it.
  if (present.length > 0 && edges.length > 0 && edges[edges.length - 1]! >= present[present.length - 1]!) edges.pop();
  const profile: NumericFeatureProfile = { name, kind: 'numeric', edges, shares: new Array<number>(edges.length + 2).fill(0) };
  return withShares(profile, values);
}

function categoricalProfile(name: string, values: Float64Array): CategoricalFeatureProfile {
  const counts = new Map<number, number>();
  for (const v of values) if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  const categories = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, maxCategoryBins)
    .map(([c]) => c);
  return withShares({ name, kind: 'categorical', categories, shares: new Array<number>(categories.length + 2).fill(0) }, values);
}

function withShares<P extends FeatureBinProfile>(profile: P, values: Float64Array): P {
  const counts = new Array<number>(binCount(profile)).fill(0);
  for (const v of values) counts[binOf(profile, v)]!++;
  return { ...profile, shares: counts.map((c) => (values.length > 0 ? c / values.length : 0)) };
}

/** The profile of a row-major training matrix `x` (`specs.length` columns). */
export function fitFeatureProfile(x: Float64Array, specs: readonly FeatureSpec[]): FeatureProfile {
  const d = specs.length;
  const rows = d > 0 ? x.length / d : 0;
  const column = new Float64Array(rows);
  const features = specs.map((spec, j) => {
    for (let i = 0; i < rows; i++) column[i] = x[i * d + j]!;
    return spec.kind === 'categorical' ? categoricalProfile(spec.name, column) : numericProfile(spec.name, column);
  });
  return { rows, features };
}

/** Bin indexes (one a feature, in the profile's order) as the codes filed with a prediction. */
export const binCodes = (bins: readonly number[]): string => bins.map((b) => codeAlphabet[b]!).join('');

/** One row's bins as a string, one character a feature in the profile's order. */
export function profileCodes(profile: FeatureProfile, x: Float64Array, row: number): string {
  const d = profile.features.length;
  let codes = '';
  for (let j = 0; j < d; j++) codes += codeAlphabet[binOf(profile.features[j]!, x[row * d + j]!)];
  return codes;
}

export interface FeatureDrift {
  feature: string;
  /** Population stability index of the window's bins against training's. */
  psi: number;
}

/**
 * A window's bin counts per feature, taken one prediction's codes at a time before the profile they were
 * coded with is at hand (the monitor reads a day's outcomes first, then loads each version's profile).
 */
export class FeatureBinCounts {
  /** counts[j][b]: predictions whose feature j fell in bin b. */
  private readonly counts: number[][] = [];
  private added = 0;
  private width: number | undefined;

  get rows(): number {
    return this.added;
  }

  /** Codes of another width than the first added, or outside the alphabet, are not counted; returns whether they were. */
  add(codes: string): boolean {
    this.width ??= codes.length;
    if (codes.length !== this.width) return false;
    const bins: number[] = [];
    for (let j = 0; j < codes.length; j++) {
      const b = codeAlphabet.indexOf(codes[j]!);
      if (b < 0) return false;
      bins.push(b);
    }
    bins.forEach((b, j) => {
      const row = (this.counts[j] ??= []);
      row[b] = (row[b] ?? 0) + 1;
    });
    this.added++;
    return true;
  }

  /** PSI of each feature against `profile` (none when nothing was added, or the codes are not of this profile), in its order. */
  drift(profile: FeatureProfile): FeatureDrift[] {
    if (this.added === 0 || this.width !== profile.features.length) return [];
    const fits = profile.features.every((f, j) => (this.counts[j]?.length ?? 0) <= binCount(f));
    if (!fits) return [];
    return profile.features.map((f, j) => {
      const observed = Array.from({ length: binCount(f) }, (_, b) => this.counts[j]?.[b] ?? 0);
      return { feature: f.name, psi: populationStabilityIndex(f.shares, observed) };
    });
  }
}
