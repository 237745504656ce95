import { randomUUID } from 'node:crypto';
import type { Message, Producer } from 'kafkajs';
import { groupCommitter, type GroupCommitter } from '../../common/group-commit';
import type { Db } from 'mongodb';
import { parseRequestObject, type FlightRequestMessage } from '../../common/prediction-request';
import { DistanceResolver } from '../../data/distance-resolver';
import { loadDistanceTable } from '../../data/distance-table';
import { calendarFields } from '../../models/calendar';
import { BadInputError } from '../security/bad-input';

/** The fields a client sends; everything else of the seed's request is derived here. */
export const requestBodyFields = ['Origin', 'Dest', 'Carrier', 'DepDelay', 'FlightDate', 'FlightNum', 'Distance'] as const;

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
  private distances: DistanceResolver | undefined;
  /** Requests arriving while a send is in flight go out together in the next one: one produce request per round trip, not per HTTP request. */
  private readonly sends: GroupCommitter<Message>;

  constructor(
    producer: Producer,
    private readonly db: Db,
    private readonly names: { request: string; distancesCollection: string },
  ) {
    this.sends = groupCommitter((messages) => producer.send({ topic: names.request, acks: -1, messages: [...messages] }).then(() => undefined), 1000);
  }

  /** Reads origin_dest_distances into memory (at start, and again on demand). */
  async loadDistances(): Promise<DistanceResolver> {
    this.distances = new DistanceResolver(await loadDistanceTable(this.db, { collection: this.names.distancesCollection }));
    return this.distances;
  }

  async resolver(): Promise<DistanceResolver> {
    return this.distances ?? (await this.loadDistances());
  }

  /** Validates and completes a body; throws BadInputError naming the field. */
  async build(body: unknown): Promise<PublishedRequest> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadInputError('expected a JSON object with Origin, Dest, Carrier, DepDelay, FlightDate and optionally FlightNum, Distance', 'body');
    }
    const raw = body as Record<string, unknown>;
    const unknown = Object.keys(raw).filter((k) => !(requestBodyFields as readonly string[]).includes(k));
    if (unknown.length > 0) {
      throw new BadInputError(`unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected only ${requestBodyFields.join(', ')}`, unknown[0]);
    }
    const parsed = parseRequestObject({ ...raw, UUID: randomUUID(), Timestamp: Date.now() });
    if (!parsed.ok) throw new BadInputError(parsed.reason, parsed.field);
    const request = parsed.request;
    const resolved = (await this.resolver()).resolve(request.Origin, request.Dest, request.Distance);
    if ('error' in resolved) throw new BadInputError(resolved.error, 'Dest');
    const { DayOfWeek, DayOfMonth, DayOfYear } = calendarFields(request.FlightDate);
    return { ...request, Distance: resolved.distance, DayOfWeek, DayOfMonth, DayOfYear };
  }

  /** Resolves once Kafka has the request (acks from all in-sync replicas). */
  async publish(request: PublishedRequest): Promise<void> {
    await this.sends.write([{ key: request.UUID, value: JSON.stringify(request) }]);
  }
}
