import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Logger } from '../../common/logger';
import type { DistanceResolver } from '../../common/prediction/distance';
import type { ModelRegistry } from '../../common/model-registry';
import type { FlightLookups } from '../../models/features/lookups';
import type { ResultSink } from './sinks/sink';
import type { OutcomeCollections } from '../outcomes/outcome-join';
import type { StreamMetrics } from './stream-metrics';

/** What the stream's activity is built from: its clients, its sinks and its settings. */
export interface StreamDeps {
  kafka: Kafka;
  /** Read at the start of each attempt: a worker may have renewed its client since. */
  db: Db;
  /** Replaces the worker's MongoDB client; called before an attempt that failed for want of the server is retried. */
  renewMongo?: () => Promise<void>;
  temporal: Client;
  /** The registered models (MLflow), cached on this machine. */
  models: ModelRegistry;
  /** The distance lookup, built at the start of each run of the activity. */
  distances: () => Promise<DistanceResolver>;
  /**
   * The feature lookups (weather, schedule, planes), read when a model of a feature set with lookups is
   * first scored; absent: such a model scores with every looked-up feature missing.
   */
  lookups?: () => Promise<FlightLookups>;
  /** Sinks beyond MongoDB and the response topic (HDFS Parquet, the text file), built by each attempt with its logger. */
  extraSinks: (log: Logger) => Promise<ResultSink[]>;
  /** Wraps every sink, the built-in ones included (the benchmarks time each sink's accept this way). */
  wrapSink?: <R>(sink: ResultSink<R>) => ResultSink<R>;
  settings: {
    consumerGroup: string;
    batchMaxMessages: number;
    batchMaxWaitMs: number;
    /**
     * Offsets of batches every sink accepted are committed at most this often (0: after every batch).
     * A crash replays what was accepted since the last commit: MongoDB keeps one document per UUID,
     * the other sinks are at-least-once.
     */
    commitIntervalMs: number;
    /** A batch some sink has not accepted after this long fails the activity (a hung sink), which Temporal then retries. */
    sinkTimeoutMs: number;
    topicPartitions: number;
    /** How often a consumer asks the registry whether the champion alias moved (a promotion in MLflow's UI sends no reload signal). */
    championWatchMs: number;
  };
  /** Default: the names of common/names.ts. Tests give their own. */
  names?: { request: string; response: string; deadLetter: string; resultsCollection: string; outcomes: OutcomeCollections };
  log: Logger;
  /** The worker process's Temporal identity (`pid@host`): each consumer's stats name it. */
  workerIdentity: string;
  /** The worker's metrics (its /metrics); default: metrics nobody serves. */
  metrics?: StreamMetrics;
}
