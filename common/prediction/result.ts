/**
 * The results of a prediction, realtime and batch, and the one builder of each from a scored request.
 *
 * A realtime result: the document stored in MongoDB `flight_delay_ml_response` (unique on UUID) and the
 * message published on `flight-delay-ml-response` are exactly this record.
 */
import type { FeatureLookupReport } from '../../models/features/pipeline';
import type { DistanceSource } from './distance';
import type { ScoredRequest } from './score-requests';

export type { DistanceSource };

export interface PredictionResult {
  UUID: string;
  Origin: string;
  Dest: string;
  Carrier: string;
  /** Minutes. */
  DepDelay: number;
  /** Miles: the request's own, or looked up (see DistanceSource). */
  Distance: number;
  DistanceSource: DistanceSource;
  /** "YYYY-MM-DD". */
  FlightDate: string;
  FlightNum: string | null;
  /** Derived from FlightDate by models/calendar.ts (ISO weekday, Monday = 1), as the model saw them. */
  DayOfWeek: number;
  DayOfMonth: number;
  DayOfYear: number;
  /** `Origin-Dest`. */
  Route: string;
  /** 0–3, the index of PredictionLabel in the model's class labels. */
  Prediction: number;
  PredictionLabel: string;
  /** Probability of each class, in class order. */
  Probabilities: number[];
  /**
   * The model's features that were looked up (weather, schedule, planes: models/features/lookups.ts) and
   * those that were missing (scored as missing values). Both empty for the 'seed' and 'rich' feature sets.
   */
  FeatureLookups: FeatureLookupReport;
  ModelVersion: string;
  /** The request's Timestamp as an ISO string (UTC), or null when it had none. */
  RequestTimestamp: string | null;
  /** When this result was scored, ISO string (UTC). */
  ScoredAt: string;
}

/**
 * One result of the daily batch prediction: the seed's `prediction_results_daily.json/<date>` record
 * (the task's fields plus Route and Prediction), with the label, the class probabilities, the
 * calendar fields the model saw and the model version. The results/ and parquet/ parts of a date's
 * HDFS folder hold exactly these; MongoDB `prediction_results` holds `batchResultDocument` of each.
 */
export type BatchPredictionResult = Omit<PredictionResult, 'UUID' | 'RequestTimestamp'> & {
  /** The task's id (prediction_tasks), where a realtime result has the request's UUID. */
  TaskId: string;
  /** The scheduled departure, when the task has one. */
  CRSDepTime: string | null;
};

/** The document of `prediction_results`: unique per date and task, so a rerun cannot add a second copy. */
export type BatchResultDocument = Omit<BatchPredictionResult, 'Probabilities' | 'DistanceSource' | 'DayOfWeek' | 'DayOfMonth' | 'DayOfYear' | 'FeatureLookups'> & {
  _id: string;
};

export const batchResultId = (date: string, taskId: string): string => `${date}:${taskId}`;

/**
 * The `_id` filter of every result of `date`: the ids that start with `<date>:`. A range of the `_id`
 * index on MongoDB, and on the stack's FerretDB too (infra/services/ferretdb-patch.ts), where a filter on
 * FlightDate reads every document of the collection.
 */
export const batchResultIdsOf = (date: string): { $gte: string; $lt: string } => ({ $gte: `${date}:`, $lt: `${date};` });

/**
 * A result as MongoDB stores it: the seed's fields (input + Route + Prediction) and the label, model and
 * time. The probabilities and the derived calendar fields stay in the HDFS files: every field costs the
 * MongoDB-protocol server of the local stack (FerretDB) time on each of up to a million documents a day.
 */
export function batchResultDocument(r: BatchPredictionResult): BatchResultDocument {
  return {
    _id: batchResultId(r.FlightDate, r.TaskId),
    TaskId: r.TaskId,
    FlightDate: r.FlightDate,
    Origin: r.Origin,
    Dest: r.Dest,
    Carrier: r.Carrier,
    DepDelay: r.DepDelay,
    Distance: r.Distance,
    FlightNum: r.FlightNum,
    CRSDepTime: r.CRSDepTime,
    Route: r.Route,
    Prediction: r.Prediction,
    PredictionLabel: r.PredictionLabel,
    ModelVersion: r.ModelVersion,
    ScoredAt: r.ScoredAt,
  };
}

/** The fields every result has, whichever kind: the request's flight, how it was scored, the prediction. */
export function predictionFields(s: ScoredRequest<unknown>) {
  const { request, calendar, prediction } = s;
  return {
    Origin: request.Origin,
    Dest: request.Dest,
    Carrier: request.Carrier,
    DepDelay: request.DepDelay,
    Distance: s.distance,
    DistanceSource: s.distanceSource,
    FlightDate: request.FlightDate,
    FlightNum: request.FlightNum,
    DayOfWeek: calendar.DayOfWeek,
    DayOfMonth: calendar.DayOfMonth,
    DayOfYear: calendar.DayOfYear,
    Route: s.route,
    Prediction: prediction.prediction,
    PredictionLabel: prediction.label,
    Probabilities: prediction.probabilities,
    FeatureLookups: prediction.featureLookups,
  };
}

/** The realtime result of a scored request (its UUID is the request's). */
export function realtimeResult(s: ScoredRequest<unknown>, modelVersion: string, scoredAt: string): PredictionResult {
  return {
    UUID: s.request.UUID,
    ...predictionFields(s),
    ModelVersion: modelVersion,
    RequestTimestamp: s.request.Timestamp,
    ScoredAt: scoredAt,
  };
}

/** The batch result of a scored task (a task is a request whose UUID is its TaskId). */
export function batchResult(s: ScoredRequest<unknown>, modelVersion: string, scoredAt: string): BatchPredictionResult {
  return {
    TaskId: s.request.UUID,
    ...predictionFields(s),
    CRSDepTime: s.request.CRSDepTime,
    ModelVersion: modelVersion,
    ScoredAt: scoredAt,
  };
}
