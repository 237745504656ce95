/**
 * One micro-batch of Kafka messages → prediction results and dead letters. Pure: no clients, no I/O;
 * the consuming activity writes the results to the sinks and the rejects to the dead-letter topic.
 */
import type { FlightDelayModel } from '../../models/flight-delay-model';
import type { DistanceResolver } from '../../common/prediction/distance';
import type { FlightLookups } from '../../models/features/lookups';
import { parseRequest } from '../../common/prediction/request';
import { realtimeResult, type PredictionResult } from '../../common/prediction/result';
import { scoreBeside, scoreRequests, type ShadowModel } from '../../common/prediction/score-requests';
import { filePrediction, type FlightPrediction } from '../../common/outcomes/flight-prediction';

/** The part of a Kafka message scoring needs (kafkajs' KafkaMessage plus its partition). */
export interface StreamMessage {
  value: Buffer | null;
  offset: string;
  partition: number;
  /** The HTTP request id of a request the API published (a Kafka header); absent for other producers. */
  requestId?: string;
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
  requestId?: string;
}

export interface ScoredBatch {
  /** One per scorable message, in message order. */
  results: PredictionResult[];
  /** The message each result came from (same order as results): where the log finds its partition, offset and request id. */
  sources: StreamMessage[];
  /** One per other message, in message order. */
  rejects: RejectedMessage[];
  /**
   * The predictions filed under their flights for the actuals' join: the answering model's of each result
   * that names its flight, and the shadow's (role challenger) beside them. Never sent to a client.
   */
  filed: FlightPrediction[];
  /** Why the shadow model scored nothing in this batch, when it failed. */
  shadowFailed?: string;
}

/**
 * Parses each message and scores the valid requests (scoreRequests: distance, one predictMany call,
 * rows the pipeline rejects become rejects). `now` is read once: every result of a batch has the same
 * ScoredAt.
 */
export function scoreBatch(
  messages: readonly StreamMessage[],
  model: FlightDelayModel,
  modelVersion: string,
  distances: DistanceResolver,
  now: () => Date,
  lookups?: FlightLookups,
  shadow?: ShadowModel,
): ScoredBatch {
  const { scored, rejected } = scoreRequests(
    messages.map((message) => ({ source: message, parsed: parseRequest(message.value) })),
    model,
    distances,
    lookups,
  );
  const scoredAt = now().toISOString();
  const filing = (s: (typeof scored)[number], version: string, role: 'champion' | 'challenger') =>
    ({ source: 'realtime', predictionId: s.request.UUID, modelVersion: version, role, scoredAt }) as const;
  const filed = scored.flatMap((s) => filePrediction(s.request, s.prediction, filing(s, modelVersion, 'champion')));
  const beside = shadow ? scoreBeside(scored, shadow) : undefined;
  beside?.predictions.forEach((p, i) => {
    if (p) filed.push(...filePrediction(scored[i]!.request, p, filing(scored[i]!, shadow!.version, 'challenger')));
  });
  return {
    filed,
    ...(beside?.failed !== undefined ? { shadowFailed: beside.failed } : {}),
    results: scored.map((s) => realtimeResult(s, modelVersion, scoredAt)),
    sources: scored.map((s) => s.source),
    rejects: rejected.map(({ source: message, reason, field }) => ({
      original: message.value?.toString('utf8') ?? '',
      reason,
      ...(field ? { field } : {}),
      partition: message.partition,
      offset: message.offset,
      ...(message.requestId !== undefined ? { requestId: message.requestId } : {}),
    })),
  };
}
