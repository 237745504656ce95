/**
 * The scoring core shared by the realtime stream (activities/streaming/score-batch.ts) and the daily
 * batch (activities/batch/score-tasks.ts): requests that passed `parseRequest` → distance resolved →
 * one `model.predictMany` call → a prediction per request, or a reject naming the field. Pure: no
 * clients, no I/O. Each caller parses its own input (a Kafka message, a task line) and builds its
 * record from what this returns with result.ts, so both score with exactly the same features.
 */
import { CalendarError, type CalendarFields } from '../../models/calendar';
import type { FlightDelayModel, Prediction } from '../../models/flight-delay-model';
import { routeOf } from '../../models/features/delay-classes';
import { FeatureError } from '../../models/features/feature-error';
import { memoizedCalendar, type FlightInput } from '../../models/features/flight-features';
import type { FlightLookups } from '../../models/features/lookups';
import { ForestError } from '../../models/forest';
import type { DistanceResolver, DistanceSource } from './distance';
import type { ParseResult, FlightRequestMessage } from './request';

/** A request that was scored, with what the records of either caller are made of. */
export interface ScoredRequest<S> {
  source: S;
  request: FlightRequestMessage;
  distance: number;
  distanceSource: DistanceSource;
  calendar: CalendarFields;
  route: string;
  prediction: Prediction;
}

/** An input that could not be scored: the reason names the field (`field`, when one is to blame). */
export interface RejectedRequest<S> {
  source: S;
  reason: string;
  field?: string;
}

export interface ScoredRequests<S> {
  /** In input order. */
  scored: ScoredRequest<S>[];
  /** In input order. */
  rejected: RejectedRequest<S>[];
}

interface Scorable<S> {
  at: number;
  source: S;
  request: FlightRequestMessage;
  distance: number;
  distanceSource: DistanceSource;
}

const calendar = memoizedCalendar();

/**
 * Resolves each parsed request's distance, then scores every valid one with one `model.predictMany`
 * call. Should the batch call throw, the rows are scored one by one so that a row the pipeline
 * rejects (FeatureError, CalendarError: e.g. a rich-feature model and no CRSDepTime) becomes a reject
 * instead of failing the batch; any other error is a broken model and is thrown. Unseen carriers,
 * airports and routes are scored (the pipeline gives them its unknown index). A model of a feature set
 * with lookups reads `lookups` (weather, schedule, planes in memory); what they lack is missing (NaN) and
 * each prediction lists it (Prediction.featureLookups).
 */
export function scoreRequests<S>(
  inputs: readonly { source: S; parsed: ParseResult }[],
  model: FlightDelayModel,
  distances: DistanceResolver,
  lookups?: FlightLookups,
): ScoredRequests<S> {
  const rejects: { at: number; reject: RejectedRequest<S> }[] = [];
  const reject = (at: number, source: S, reason: string, field?: string) =>
    rejects.push({ at, reject: { source, reason, ...(field ? { field } : {}) } });

  const scorable: Scorable<S>[] = [];
  inputs.forEach(({ source, parsed }, at) => {
    if (!parsed.ok) {
      reject(at, source, parsed.reason, parsed.field);
      return;
    }
    const { request } = parsed;
    const resolved = distances.resolve(request.Origin, request.Dest, request.Distance);
    if ('error' in resolved) {
      reject(at, source, resolved.error, 'Distance');
      return;
    }
    scorable.push({ at, source, request, distance: resolved.distance, distanceSource: resolved.source });
  });

  const predictions = predictAll(model, scorable.map(({ request, distance }): FlightInput => ({ ...request, Distance: distance })), lookups);
  const scored: ScoredRequest<S>[] = [];
  scorable.forEach((s, i) => {
    const prediction = predictions[i]!;
    if (prediction instanceof Error) {
      reject(s.at, s.source, `the model's pipeline cannot use it: ${prediction.message}`, prediction.field);
      return;
    }
    const { request } = s;
    scored.push({
      source: s.source,
      request,
      distance: s.distance,
      distanceSource: s.distanceSource,
      calendar: calendar(request.FlightDate),
      route: routeOf(request.Origin, request.Dest),
      prediction,
    });
  });
  return { scored, rejected: rejects.sort((a, b) => a.at - b.at).map((r) => r.reject) };
}

/**
 * One prediction per input; an input the pipeline rejects gets its FeatureError or CalendarError instead.
 * A missing looked-up value (NaN) that the estimator refuses (one without missing-value support) is a
 * FeatureError naming the feature, not a failed batch.
 */
function predictAll(model: FlightDelayModel, inputs: readonly FlightInput[], lookups?: FlightLookups): (Prediction | FeatureError | CalendarError)[] {
  if (inputs.length === 0) return [];
  try {
    return model.predictMany(inputs, lookups);
  } catch {
    return inputs.map((input) => {
      try {
        return model.predictOne(input, lookups);
      } catch (err) {
        if (err instanceof FeatureError || err instanceof CalendarError) return err;
        if (err instanceof ForestError && /NaN/.test(err.message)) {
          const feature = /feature ([^\]]+)\]/.exec(err.field)?.[1];
          if (feature) return new FeatureError(feature, 'missing (no value in the lookup tables), which this model cannot score');
        }
        throw err;
      }
    });
  }
}

/** A model scored beside the one that answers: its predictions are filed, never returned to anyone. */
export interface ShadowModel {
  version: string;
  model: FlightDelayModel;
  /** The lookup tables, when its feature set reads them. */
  lookups?: FlightLookups;
}

/**
 * A shadow model's prediction of each request another model already scored (in `scored`'s order), or
 * undefined where its pipeline cannot use the request. Never throws: a shadow that fails scores nothing
 * (`failed` says why), and the answers already made are untouched.
 */
export function scoreBeside(scored: readonly ScoredRequest<unknown>[], shadow: ShadowModel): { predictions: (Prediction | undefined)[]; failed?: string } {
  try {
    const inputs = scored.map(({ request, distance }): FlightInput => ({ ...request, Distance: distance }));
    return { predictions: predictAll(shadow.model, inputs, shadow.lookups).map((p) => (p instanceof Error ? undefined : p)) };
  } catch (err) {
    return { predictions: scored.map(() => undefined), failed: (err as Error).message };
  }
}
