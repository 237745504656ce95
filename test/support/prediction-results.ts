/** Realtime results for tests: valid for the Parquet schema, distinct UUIDs. */
import { randomUUID } from 'node:crypto';
import type { StoredResult } from '../../activities/archiving/select-chunk';
import type { PredictionResult } from '../../common/prediction/result';

const labels = ['Early (15+ Minutes Early)', 'Slightly Early (0-15 Minute Early)', 'Slightly Late (0-30 Minute Delay)', 'Very Late (30+ Minutes Late)'];

/** Result number `i` of FlightDate `date`, with a UUID made of `i`. */
export function sampleResult(i: number, date = '2024-01-15'): PredictionResult {
  const prediction = i % 4;
  return {
    UUID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    Origin: 'ATL',
    Dest: i % 2 ? 'SFO' : 'JFK',
    Carrier: 'AA',
    DepDelay: i - 7.5,
    Distance: 2139,
    DistanceSource: 'table',
    FlightDate: date,
    FlightNum: i % 3 === 0 ? null : String(100 + i),
    DayOfWeek: 1,
    DayOfMonth: 15,
    DayOfYear: 15,
    Route: i % 2 ? 'ATL-SFO' : 'ATL-JFK',
    Prediction: prediction,
    PredictionLabel: labels[prediction]!,
    Probabilities: [0, 1, 2, 3].map((k) => (k === prediction ? 0.7 : 0.1)),
    FeatureLookups: { lookedUp: [], missing: [] },
    ModelVersion: '3',
    RequestTimestamp: i % 5 === 0 ? null : '2024-01-15T10:00:00.000Z',
    ScoredAt: '2024-01-15T10:00:00.020Z',
  };
}

/** Result number `i` of FlightDate `date`, scored at `scoredAt`, as the mongo sink stores it (`_id` = UUID). */
export function storedResult(i: number, date: string, scoredAt: string): StoredResult {
  const uuid = randomUUID();
  const prediction = i % labels.length;
  const result: PredictionResult = {
    UUID: uuid,
    Origin: 'ATL',
    Dest: i % 2 ? 'SFO' : 'JFK',
    Carrier: 'DL',
    DepDelay: (i % 60) - 10,
    Distance: i % 2 ? 2139 : 760,
    DistanceSource: 'table',
    FlightDate: date,
    FlightNum: i % 7 === 0 ? null : String(1000 + i),
    DayOfWeek: 3,
    DayOfMonth: Number(date.slice(8, 10)),
    DayOfYear: 40,
    Route: i % 2 ? 'ATL-SFO' : 'ATL-JFK',
    Prediction: prediction,
    PredictionLabel: labels[prediction]!,
    Probabilities: labels.map((_, k) => (k === prediction ? 0.4 : 0.2)),
    FeatureLookups: { lookedUp: [], missing: [] },
    ModelVersion: '1',
    RequestTimestamp: null,
    ScoredAt: scoredAt,
  };
  return { _id: uuid, ...result };
}
