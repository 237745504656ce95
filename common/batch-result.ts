/**
 * One result of the daily batch prediction: the seed's `prediction_results_daily.json/<date>` record
 * (the task's fields plus Route and Prediction), with the label, the class probabilities, the
 * calendar fields the model saw and the model version. results.jsonl and results.parquet of a date's
 * HDFS folder hold exactly these; MongoDB `prediction_results` holds `batchResultDocument` of each.
 */
import type { PredictionResult } from './prediction-result';

export type BatchPredictionResult = Omit<PredictionResult, 'UUID' | 'RequestTimestamp'> & {
  /** The task's id (prediction_tasks), where a realtime result has the request's UUID. */
  TaskId: string;
  /** The scheduled departure, when the task has one. */
  CRSDepTime: string | null;
};

/** The document of `prediction_results`: unique per date and task, so a rerun cannot add a second copy. */
export type BatchResultDocument = Omit<BatchPredictionResult, 'Probabilities' | 'DistanceSource' | 'DayOfWeek' | 'DayOfMonth' | 'DayOfYear'> & {
  _id: string;
};

export const batchResultId = (date: string, taskId: string): string => `${date}:${taskId}`;

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

/** The `prediction_batches` document of a date (_id = the date): where its batch stands and what it made. */
export interface BatchManifest {
  _id: string;
  status: 'tasks-staged' | 'scored' | 'loading' | 'loaded';
  workflowId: string;
  runId: string;
  /** Set before the first result of the date goes into prediction_results, never unset: a later run must clear the date first. */
  resultsInMongo?: boolean;
  tasks?: number;
  scored?: number;
  rejected?: number;
  loaded?: number;
  modelVersion?: string;
  /** Results per class label. */
  classCounts?: Record<string, number>;
  hdfs: { dir: string; tasks?: string; results?: string; parquet?: string; rejects?: string };
  updatedAt: string;
  loadedAt?: string;
}
