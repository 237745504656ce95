import type { FlightColumn } from '../flight';
import type { FeatureSpec } from '../forest';
import { arrDelayBucketizer } from './delay-classes';
import { checkSerialized, FeatureError } from './feature-error';
import {
  categoryOf,
  featureSets,
  featureSource,
  indexedColumnOf,
  isFeatureSet,
  lookedUpValue,
  lookupContext,
  memoizedCalendar,
  numericValue,
  usesLookups,
  type FeatureName,
  type FeatureSet,
  type FlightInput,
  type IndexedColumn,
  type LookedUpFeature,
  type NumericFeature,
} from './flight-features';
import { FlightLookups } from './lookups';
import { StringIndexer } from './string-indexer';

export type { FeatureSpec };

/**
 * Which of a flight's features came from the lookup tables and which were missing (NaN, for the
 * estimator's missing-value handling). Always empty for the feature sets without lookups.
 */
export interface FeatureLookupReport {
  lookedUp: FeatureName[];
  missing: FeatureName[];
}

export interface PipelineFitOptions {
  /** The columns the data set has; features built from an absent column are left out. */
  columns: readonly FlightColumn[];
  featureSet?: FeatureSet;
}

/**
 * The seed's feature pipeline — Route, four string indexers, the assembler — fitted on training
 * flights and applied unchanged to every flight scored later. The one place where a flight becomes a
 * feature row, for training and for scoring.
 */
export class FeaturePipeline {
  private readonly calendar = memoizedCalendar();
  /** Per feature: computed from the lookup context (the sets with lookups: their hours and looked-up features). */
  private readonly fromLookups: readonly boolean[];

  private constructor(
    readonly featureSet: FeatureSet,
    /** The assembled features, in order: the seed's order, less those the data set cannot provide. */
    readonly features: readonly FeatureName[],
    readonly indexers: ReadonlyMap<IndexedColumn, StringIndexer>,
  ) {
    const lookups = usesLookups(featureSet);
    this.fromLookups = features.map((f) => lookups && !indexedColumnOf(f) && !['DepDelay', 'Distance', 'DayOfMonth', 'DayOfWeek', 'DayOfYear'].includes(f));
  }

  /** Whether this pipeline's features need the lookup tables (feature sets other than 'seed' and 'rich'). */
  get usesLookups(): boolean {
    return usesLookups(this.featureSet);
  }

  static fit(records: readonly FlightInput[], options: PipelineFitOptions): FeaturePipeline {
    const featureSet = options.featureSet ?? 'seed';
    const present = new Set(options.columns);
    const features = featureSets[featureSet].filter((f) => present.has(featureSource[f]));
    if (features.length === 0) throw new RangeError('FeaturePipeline.fit: the data set provides none of the features');
    const indexers = new Map<IndexedColumn, StringIndexer>();
    for (const f of features) {
      const column = indexedColumnOf(f);
      if (column) indexers.set(column, StringIndexer.fit(column, valuesOf(records, column)));
    }
    return new FeaturePipeline(featureSet, features, indexers);
  }

  get numFeatures(): number {
    return this.features.length;
  }

  /** The columns of the feature matrix as the forest needs them: indexed columns are categorical. */
  featureSpecs(): FeatureSpec[] {
    return this.features.map((name) => {
      const column = indexedColumnOf(name);
      return column ? { name, kind: 'categorical', arity: this.indexer(column).arity } : { name, kind: 'numeric' };
    });
  }

  /**
   * Writes one flight's features into `out` at `offset`; throws FeatureError (or CalendarError) naming the
   * field. The sets with lookups read `lookups` (none: every looked-up feature is missing, NaN) and, when
   * `report` is given, say in it which features were looked up and which are missing.
   */
  writeRow(input: FlightInput, out: Float64Array, offset: number, lookups: FlightLookups = FlightLookups.none, report?: FeatureLookupReport): void {
    const ctx = this.usesLookups ? lookupContext(input, lookups) : undefined;
    for (let j = 0; j < this.features.length; j++) {
      const f = this.features[j]!;
      const column = indexedColumnOf(f);
      if (ctx && this.fromLookups[j]) {
        const { value, lookedUp } = lookedUpValue(f as 'CRSDepHour' | LookedUpFeature, ctx);
        out[offset + j] = value;
        if (report && Number.isNaN(value)) report.missing.push(f);
        else if (report && lookedUp) report.lookedUp.push(f);
      } else {
        out[offset + j] = column ? this.indexer(column).indexOf(categoryOf(input, column)) : numericValue(input, f as NumericFeature, this.calendar);
      }
    }
  }

  /** One flight's feature row. */
  transformOne(input: FlightInput, lookups?: FlightLookups, report?: FeatureLookupReport): Float64Array {
    const row = new Float64Array(this.features.length);
    this.writeRow(input, row, 0, lookups, report);
    return row;
  }

  /**
   * The row-major feature matrix of many flights; an invalid flight throws, naming its row and field.
   * Training and scoring both call this (scoring with `reports`, one per flight, filled in).
   */
  transform(inputs: readonly FlightInput[], lookups?: FlightLookups, reports?: FeatureLookupReport[]): Float64Array {
    const d = this.features.length;
    const X = new Float64Array(inputs.length * d);
    for (let i = 0; i < inputs.length; i++) {
      try {
        const report = reports ? { lookedUp: [], missing: [] } : undefined;
        this.writeRow(inputs[i]!, X, i * d, lookups, report);
        if (reports) reports[i] = report!;
      } catch (err) {
        const field = (err as { field?: string }).field ?? 'row';
        throw new FeatureError(field, `row ${i}: ${(err as Error).message}`);
      }
    }
    return X;
  }

  /** The indexed columns whose value in this flight was never seen in training (it gets the unknown index). */
  unseenCategories(input: FlightInput): IndexedColumn[] {
    return [...this.indexers.entries()]
      .filter(([column, indexer]) => indexer.indexOf(categoryOf(input, column)) === indexer.unknownIndex)
      .map(([column]) => column);
  }

  toJSON(): { type: 'FeaturePipeline'; version: 1; featureSet: FeatureSet; features: readonly FeatureName[]; indexers: ReturnType<StringIndexer['toJSON']>[]; labelSplits: ReturnType<typeof arrDelayBucketizer.toJSON> } {
    return {
      type: 'FeaturePipeline',
      version: 1,
      featureSet: this.featureSet,
      features: this.features,
      indexers: [...this.indexers.values()].map((i) => i.toJSON()),
      labelSplits: arrDelayBucketizer.toJSON(),
    };
  }

  static load(json: unknown): FeaturePipeline {
    const o = checkSerialized(json, 'FeaturePipeline', 1);
    if (!isFeatureSet(o.featureSet)) {
      throw new RangeError(`FeaturePipeline.load: featureSet ${JSON.stringify(o.featureSet)} is not one of ${Object.keys(featureSets).join(', ')}`);
    }
    const known = new Set<string>(featureSets[o.featureSet]);
    if (!Array.isArray(o.features) || !o.features.every((f) => typeof f === 'string' && known.has(f))) {
      throw new RangeError(`FeaturePipeline.load: features ${JSON.stringify(o.features)} name an unknown feature`);
    }
    if (!Array.isArray(o.indexers)) throw new RangeError('FeaturePipeline.load: indexers must be an array');
    const indexers = new Map(o.indexers.map((j) => StringIndexer.load(j)).map((i) => [i.column as IndexedColumn, i]));
    const pipeline = new FeaturePipeline(o.featureSet, o.features as FeatureName[], indexers);
    for (const f of pipeline.features) {
      const column = indexedColumnOf(f);
      if (column && !indexers.has(column)) throw new RangeError(`FeaturePipeline.load: no indexer for ${f}`);
    }
    return pipeline;
  }

  private indexer(column: IndexedColumn): StringIndexer {
    const indexer = this.indexers.get(column);
    if (!indexer) throw new RangeError(`FeaturePipeline: no indexer for ${column}`);
    return indexer;
  }
}

function* valuesOf(records: readonly FlightInput[], column: IndexedColumn): Iterable<string> {
  for (const r of records) yield categoryOf(r, column);
}

/** The class (0–3) of each flight's ArrDelay; throws naming the row of a missing or non-finite delay. */
export function delayLabels(records: readonly { ArrDelay: number | null }[]): Uint8Array {
  const y = new Uint8Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const delay = records[i]!.ArrDelay;
    const bucket = delay === null ? -1 : arrDelayBucketizer.bucket(delay);
    if (bucket < 0) throw new FeatureError('ArrDelay', `row ${i}: expected a finite number of minutes, got ${JSON.stringify(delay)}`);
    y[i] = bucket;
  }
  return y;
}
