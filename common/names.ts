/**
 * The one place where names shared between processes live: topics, collections, queues, workflows,
 * MLflow objects. Keep the seed system's names where it had them.
 */
export const mongoNames = {
  database: 'agile_data_science',
  realtimeResults: 'flight_delay_ml_response',
  distances: 'origin_dest_distances',
  predictionTasks: 'prediction_tasks',
  predictionResults: 'prediction_results',
} as const;

export const topics = {
  request: 'flight-delay-ml-request',
  response: 'flight-delay-ml-response',
  deadLetter: 'flight-delay-ml-request.dlq',
} as const;

export const mlflowNames = {
  experiment: 'flight-delay',
  registeredModel: 'flight-delay-classifier',
  championAlias: 'champion',
} as const;

export const taskQueues = {
  training: 'flight-delay-training',
  scoring: 'flight-delay-scoring',
} as const;

export const workflowTypes = {
  training: 'trainFlightDelayModel',
  streaming: 'streamFlightDelayPredictions',
} as const;

/** Fixed workflow and schedule ids: one of each per deployment (namespace). */
export const workflowIds = {
  streaming: 'flight-delay-streaming',
  trainingSchedule: 'flight-delay-training-schedule',
} as const;

/** Tags that tie an MLflow run to the Temporal workflow execution that made it. */
export const mlflowTags = {
  workflowId: 'temporal.workflow_id',
  workflowRunId: 'temporal.run_id',
} as const;
