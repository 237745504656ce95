/**
 * One scored request: the document stored in MongoDB `flight_delay_ml_response` (unique on UUID) and
 * the message published on `flight-delay-ml-response` are exactly this record. Built by score-batch.ts;
 * the sinks only import it.
 */
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
  ModelVersion: string;
  /** The request's Timestamp as an ISO string (UTC), or null when it had none. */
  RequestTimestamp: string | null;
  /** When this result was scored, ISO string (UTC). */
  ScoredAt: string;
}

/**
 * Where Distance came from: the request itself, the origin_dest_distances table (either direction),
 * or the great circle between the airports' coordinates.
 */
export type DistanceSource = 'request' | 'table' | 'great-circle';

export const distanceSources: readonly DistanceSource[] = ['request', 'table', 'great-circle'];
