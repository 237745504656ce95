/**
 * A prediction filed under its flight, so that the flight's actual arrival finds it (and it finds the
 * actual): MongoDB `flight_predictions`, `_id` = `<flight key>#<source>:<prediction id>`. The stream files
 * each realtime result that names its flight (a request without FlightNum names none and is never joined),
 * the batch each result. All of a flight's predictions share the `_id` prefix `<flight key>#`.
 */
import type { BatchPredictionResult, PredictionResult } from '../prediction/result';
import { batchResultId } from '../prediction/result';
import { flightKey } from './actual';

export type PredictionSource = 'realtime' | 'batch';
/** champion: the version that answered; challenger: a version scored beside it whose answers nobody sees. */
export type PredictionRole = 'champion' | 'challenger';

export interface FlightPrediction {
  _id: string;
  FlightKey: string;
  FlightDate: string;
  Source: PredictionSource;
  /** The realtime result's UUID, or the batch result's `_id` (`<date>:<TaskId>`). */
  PredictionId: string;
  ModelVersion: string;
  Role: PredictionRole;
  /** 0–3. */
  Prediction: number;
  Probabilities: number[];
  ScoredAt: string;
}

/** The `_id` filter of every prediction of the flight `key`: the ids that start with `<key>#`. */
export const predictionIdsOfFlight = (key: string): { $gte: string; $lt: string } => ({ $gte: `${key}#`, $lt: `${key}$` });

function filed(
  r: Pick<PredictionResult, 'FlightDate' | 'Carrier' | 'Origin' | 'Dest' | 'ModelVersion' | 'Prediction' | 'Probabilities' | 'ScoredAt'>,
  flightNum: string,
  source: PredictionSource,
  predictionId: string,
  role: PredictionRole,
): FlightPrediction {
  const key = flightKey({ FlightDate: r.FlightDate, Carrier: r.Carrier, FlightNum: flightNum, Origin: r.Origin, Dest: r.Dest });
  return {
    _id: `${key}#${source}:${predictionId}`,
    FlightKey: key,
    FlightDate: r.FlightDate,
    Source: source,
    PredictionId: predictionId,
    ModelVersion: r.ModelVersion,
    Role: role,
    Prediction: r.Prediction,
    Probabilities: r.Probabilities,
    ScoredAt: r.ScoredAt,
  };
}

/** The realtime results that name their flight, filed under it. */
export const realtimeFlightPredictions = (results: readonly PredictionResult[], role: PredictionRole = 'champion'): FlightPrediction[] =>
  results.flatMap((r) => (r.FlightNum === null ? [] : [filed(r, r.FlightNum, 'realtime', r.UUID, role)]));

/** The batch results that name their flight, filed under it. */
export const batchFlightPredictions = (results: readonly BatchPredictionResult[], role: PredictionRole = 'champion'): FlightPrediction[] =>
  results.flatMap((r) => (r.FlightNum === null ? [] : [filed(r, r.FlightNum, 'batch', batchResultId(r.FlightDate, r.TaskId), role)]));
