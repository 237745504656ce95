/**
 * One micro-batch of Kafka messages → prediction results and dead letters. Pure: no clients, no I/O;
 * the consuming activity writes the results to the sinks and the rejects to the dead-letter topic.
 */
import { CalendarError } from '../../models/calendar';
import type { FlightDelayModel, Prediction } from '../../models/flight-delay-model';
import { routeOf } from '../../models/features/delay-classes';
import { FeatureError } from '../../models/features/feature-error';
import { memoizedCalendar, type FlightInput } from '../../models/features/flight-features';
import type { DistanceResolver } from '../../data/distance-resolver';
import { parseRequest, type FlightRequestMessage } from '../../common/prediction-request';
import type { DistanceSource, PredictionResult } from '../../common/prediction-result';

/** The part of a Kafka message scoring needs (kafkajs' KafkaMessage plus its partition). */
export interface StreamMessage {
  value: Buffer | null;
  offset: string;
  partition: number;
}

/** A message that cannot be scored: what goes to `flight-delay-ml-request.dlq`. */
export interface RejectedMessage {
  /** The message value as received (UTF-8), "" for a message without a value. */
  original: string;
  /** What is wrong and, where it helps, what to send instead; names the field. */
  reason: string;
  field?: string;
  partition: number;
  offset: string;
}

export interface ScoredBatch {
  /** One per scorable message, in message order. */
  results: PredictionResult[];
  /** One per other message, in message order. */
  rejects: RejectedMessage[];
}

interface Scorable {
  /** Position in the batch. */
  at: number;
  message: StreamMessage;
  request: FlightRequestMessage;
  distance: number;
  source: DistanceSource;
}

const calendar = memoizedCalendar();

/**
 * Parses each message, resolves its distance, then scores every valid request with one
 * `model.predictMany` call. Should the batch call throw, the rows are scored one by one so that a row
 * the pipeline rejects (FeatureError, CalendarError: e.g. a rich-feature model and no CRSDepTime)
 * becomes a reject instead of failing the batch; any other error is a broken model and is thrown.
 * Unseen carriers, airports and routes are scored (the pipeline gives them its unknown index).
 * `now` is read once: every result of a batch has the same ScoredAt.
 */
export function scoreBatch(
  messages: readonly StreamMessage[],
  model: FlightDelayModel,
  modelVersion: string,
  distances: DistanceResolver,
  now: () => Date,
): ScoredBatch {
  const rejects: { at: number; reject: RejectedMessage }[] = [];
  const reject = (at: number, message: StreamMessage, reason: string, field?: string) =>
    rejects.push({
      at,
      reject: {
        original: message.value?.toString('utf8') ?? '',
        reason,
        ...(field ? { field } : {}),
        partition: message.partition,
        offset: message.offset,
      },
    });

  const scorable: Scorable[] = [];
  messages.forEach((message, at) => {
    const parsed = parseRequest(message.value);
    if (!parsed.ok) {
      reject(at, message, parsed.reason, parsed.field);
      return;
    }
    const { request } = parsed;
    const resolved = distances.resolve(request.Origin, request.Dest, request.Distance);
    if ('error' in resolved) {
      reject(at, message, resolved.error, 'Distance');
      return;
    }
    scorable.push({ at, message, request, distance: resolved.distance, source: resolved.source });
  });

  const inputs: FlightInput[] = scorable.map(({ request, distance }) => ({ ...request, Distance: distance }));
  const predictions = predictAll(model, inputs);
  const scoredAt = now().toISOString();
  const results: PredictionResult[] = [];
  scorable.forEach((s, i) => {
    const prediction = predictions[i]!;
    if (prediction instanceof Error) {
      reject(s.at, s.message, `the model's pipeline cannot use it: ${prediction.message}`, prediction.field);
      return;
    }
    results.push(resultOf(s, prediction, modelVersion, scoredAt));
  });
  return { results, rejects: rejects.sort((a, b) => a.at - b.at).map((r) => r.reject) };
}

/** One prediction per input; an input the pipeline rejects gets its FeatureError or CalendarError instead. */
function predictAll(model: FlightDelayModel, inputs: readonly FlightInput[]): (Prediction | FeatureError | CalendarError)[] {
  if (inputs.length === 0) return [];
  try {
    return model.predictMany(inputs);
  } catch {
    return inputs.map((input) => {
      try {
        return model.predictOne(input);
      } catch (err) {
        if (err instanceof FeatureError || err instanceof CalendarError) return err;
        throw err;
      }
    });
  }
}

function resultOf(s: Scorable, p: Prediction, modelVersion: string, scoredAt: string): PredictionResult {
  const { request } = s;
  const { DayOfWeek, DayOfMonth, DayOfYear } = calendar(request.FlightDate);
  return {
    UUID: request.UUID,
    Origin: request.Origin,
    Dest: request.Dest,
    Carrier: request.Carrier,
    DepDelay: request.DepDelay,
    Distance: s.distance,
    DistanceSource: s.source,
    FlightDate: request.FlightDate,
    FlightNum: request.FlightNum,
    DayOfWeek,
    DayOfMonth,
    DayOfYear,
    Route: routeOf(request.Origin, request.Dest),
    Prediction: p.prediction,
    PredictionLabel: p.label,
    Probabilities: p.probabilities,
    ModelVersion: modelVersion,
    RequestTimestamp: request.Timestamp,
    ScoredAt: scoredAt,
  };
}
