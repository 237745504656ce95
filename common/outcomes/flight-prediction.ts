/**
 * A prediction filed under its flight, so that the flight's actual arrival finds it (and it finds the
 * actual): MongoDB `flight_predictions`, `_id` = `<flight key>#<source>:<prediction id>`. The stream files
 * each realtime result that names its flight (a request without FlightNum names none and is never joined),
 * the batch each result. All of a flight's predictions share the `_id` prefix `<flight key>#`.
 */
import type { Prediction } from '../../models/flight-delay-model';
import { flightKey, type FlightKeyFields } from './actual';

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
  /** The flight's feature bins in the version's training profile (models/feature-profile.ts): what drift is measured on. */
  FeatureBins?: string;
}

/** The `_id` filter of every prediction of the flight `key`: the ids that start with `<key>#`. */
export const predictionIdsOfFlight = (key: string): { $gte: string; $lt: string } => ({ $gte: `${key}#`, $lt: `${key}$` });

/** How a prediction is filed: where it came from, its id there, the version that made it and in which role. */
export interface Filing {
  source: PredictionSource;
  /** The realtime request's UUID or the batch result's `_id`; a challenger's adds `~v<version>` (one flight, one id per version). */
  predictionId: string;
  modelVersion: string;
  role: PredictionRole;
  scoredAt: string;
}

/**
 * A scored request's prediction filed under its flight: none when the request names no flight (FlightNum).
 * The champion's and a challenger's predictions of one request are filed side by side, each under its own id.
 */
export function filePrediction(request: FlightKeyFieldsOrNone, prediction: Prediction, f: Filing): FlightPrediction[] {
  if (request.FlightNum === null) return [];
  const key = flightKey({ ...request, FlightNum: request.FlightNum });
  const predictionId = f.role === 'challenger' ? `${f.predictionId}~v${f.modelVersion}` : f.predictionId;
  return [
    {
      _id: `${key}#${f.source}:${predictionId}`,
      FlightKey: key,
      FlightDate: request.FlightDate,
      Source: f.source,
      PredictionId: predictionId,
      ModelVersion: f.modelVersion,
      Role: f.role,
      Prediction: prediction.prediction,
      Probabilities: prediction.probabilities,
      ScoredAt: f.scoredAt,
      ...(prediction.featureBins !== undefined ? { FeatureBins: prediction.featureBins } : {}),
    },
  ];
}

type FlightKeyFieldsOrNone = Omit<FlightKeyFields, 'FlightNum'> & { FlightNum: string | null };
