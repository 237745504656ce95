/**
 * An outcome: one prediction beside the actual arrival of its flight. MongoDB `prediction_outcomes` holds
 * them in chunks, one document per chunk — `_id` `<FlightDate>:<digest of its lines>`, the outcomes as
 * JSON lines in one string — because the monitor reads a day of up to a million of them, and the stack's
 * MongoDB-protocol server decodes about 15,000 documents a second but a chunk of 5,000 lines in one.
 *
 * Exactly once: whichever side arrives second (the actual, or a prediction of its flight) writes the
 * outcome, and both may when they race, or when one is written again after a crash; so the same outcome
 * can sit in several chunks. `readOutcomes` keeps the first of each `id` (the prediction's `_id`, unique,
 * and a flight has one actual): every prediction that has an actual counts once.
 */
import type { FlightActual } from './actual';
import { actualClass } from './actual';
import type { FlightPrediction, PredictionRole, PredictionSource } from './flight-prediction';

export interface Outcome {
  /** The prediction's `_id` in `flight_predictions`. */
  id: string;
  FlightDate: string;
  Source: PredictionSource;
  ModelVersion: string;
  Role: PredictionRole;
  /** The predicted class, 0–3. */
  Predicted: number;
  /** The class the actual arrival delay falls in, 0–3. */
  Actual: number;
  ArrDelay: number;
  Probabilities: number[];
  ScoredAt: string;
  /** The prediction's FeatureBins, when its version keeps a training profile. */
  FeatureBins?: string;
}

export const outcomeOf = (p: FlightPrediction, a: Pick<FlightActual, 'ArrDelay'>): Outcome => ({
  id: p._id,
  FlightDate: p.FlightDate,
  Source: p.Source,
  ModelVersion: p.ModelVersion,
  Role: p.Role,
  Predicted: p.Prediction,
  Actual: actualClass(a.ArrDelay),
  ArrDelay: a.ArrDelay,
  Probabilities: p.Probabilities,
  ScoredAt: p.ScoredAt,
  ...(p.FeatureBins !== undefined ? { FeatureBins: p.FeatureBins } : {}),
});

/** A chunk of outcomes of one flight date, as stored. */
export interface OutcomeChunk {
  _id: string;
  FlightDate: string;
  Count: number;
  /** The outcomes, one JSON object a line, sorted by id. */
  Lines: string;
  WrittenAt: string;
}

/** Outcomes a chunk holds at most. */
export const outcomesPerChunk = 5_000;

/** The `_id` filter of every chunk of `date`: the ids that start with `<date>:`. */
export const outcomeChunkIdsOf = (date: string): { $gte: string; $lt: string } => ({ $gte: `${date}:`, $lt: `${date};` });

/** The lines of chunks of one date, each line an outcome; the chunk's id is made from them by the writer. */
export function chunkLines(outcomes: readonly Outcome[]): string[] {
  const sorted = [...outcomes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const chunks: string[] = [];
  for (let i = 0; i < sorted.length; i += outcomesPerChunk) {
    chunks.push(sorted.slice(i, i + outcomesPerChunk).map((o) => JSON.stringify(o)).join('\n'));
  }
  return chunks;
}

/** Calls `fn` with each outcome of `chunk` whose id is not in `seen` yet (and adds it there). */
export function eachNewOutcome(chunk: Pick<OutcomeChunk, 'Lines'>, seen: Set<string>, fn: (o: Outcome) => void): void {
  for (const line of chunk.Lines.split('\n')) {
    if (line === '') continue;
    const o = JSON.parse(line) as Outcome;
    if (seen.has(o.id)) continue;
    seen.add(o.id);
    fn(o);
  }
}
