import { randomUUID } from 'node:crypto';
import type { Message, Producer } from 'kafkajs';
import { groupCommitter, type GroupCommitter } from '../../common/group-commit';
import type { Db } from 'mongodb';
import { parseRequestObject, type FlightRequestMessage, type PredictionBody } from '../../common/prediction/request';
import { loadDistanceResolver, type DistanceResolver } from '../../common/prediction/distance';
import { calendarFields } from '../../models/calendar';
import { kafkaHeaders } from '../../common/names';
import { UnprocessableInputError } from '../security/bad-input';

/** The message published on the request topic: the seed's request, with its derived fields. */
export interface PublishedRequest extends FlightRequestMessage {
  Distance: number;
  DayOfWeek: number;
  DayOfMonth: number;
  DayOfYear: number;
}

/**
 * The seed web app's job: take the form's fields, derive UUID, Timestamp, the calendar fields and
 * Distance (the request's own, then origin_dest_distances, then the great circle), and publish the
 * request. A body the stream would dead-letter is refused here instead, with the same reason.
 */
export class PredictionRequests {
  /** Requests arriving while a send is in flight go out together in the next one: one produce request per round trip, not per HTTP request. */
  private readonly sends: GroupCommitter<Message>;

  private constructor(
    producer: Producer,
    /** origin_dest_distances in memory (with the great circle behind it), read once at start. */
    readonly distances: DistanceResolver,
    topic: string,
  ) {
    this.sends = groupCommitter((messages) => producer.send({ topic, acks: -1, messages: [...messages] }).then(() => undefined), 1000);
  }

  /** Reads origin_dest_distances into memory (by the workers' own builder), then takes requests. */
  static async create(producer: Producer, db: Db, names: { request: string; distancesCollection: string }): Promise<PredictionRequests> {
    const distances = await loadDistanceResolver(db, { collection: names.distancesCollection });
    return new PredictionRequests(producer, distances, names.request);
  }

  /**
   * Completes a body its contract has read (each field well formed): UUID, Timestamp, Distance and the
   * calendar fields. Throws UnprocessableInputError naming the field when Origin = Dest or no distance is known.
   */
  build(body: PredictionBody): PublishedRequest {
    const parsed = parseRequestObject({ ...body, UUID: randomUUID(), Timestamp: Date.now() });
    if (!parsed.ok) throw new UnprocessableInputError(parsed.reason, parsed.field);
    const request = parsed.request;
    const resolved = this.distances.resolve(request.Origin, request.Dest, request.Distance);
    if ('error' in resolved) throw new UnprocessableInputError(resolved.error, 'Dest');
    const { DayOfWeek, DayOfMonth, DayOfYear } = calendarFields(request.FlightDate);
    return { ...request, Distance: resolved.distance, DayOfWeek, DayOfMonth, DayOfYear };
  }

  /**
   * Resolves once Kafka has the request (acks from all in-sync replicas). `requestId` (the HTTP request's
   * X-Request-Id) goes with it as a header, so that the stream's and the sinks' lines about it carry it too.
   */
  async publish(request: PublishedRequest, requestId?: string): Promise<void> {
    const headers = requestId !== undefined ? { [kafkaHeaders.requestId]: requestId } : undefined;
    await this.sends.write([{ key: request.UUID, value: JSON.stringify(request), ...(headers ? { headers } : {}) }]);
  }
}
