import { CompressionTypes, type Producer } from 'kafkajs';
import { kafkaHeaders, topics } from '../../../common/names';
import type { ResultSink } from './sink';

/** The response topic, keyed by UUID (the API's consumer pushes each to the socket.io room of that UUID). */
export function responseTopicSink(producer: Producer, topic: string = topics.response): ResultSink {
  return {
    name: 'kafka-response',
    async accept(results) {
      if (results.length === 0) return;
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: results.map((r) => ({ key: r.UUID, value: JSON.stringify(r) })),
      });
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** A request the stream could not score, as it goes to the dead-letter topic. */
export interface Rejected {
  /** The message value as received (UTF-8), or null for a tombstone. */
  original: string | null;
  reason: string;
  field?: string;
  partition: number;
  offset: string;
  requestId?: string;
}

/** `flight-delay-ml-request.dlq`: the original payload with the reason, so nothing is lost and a person can replay it. */
export async function sendToDeadLetters(producer: Producer, rejects: readonly Rejected[], sourceTopic: string, topic: string = topics.deadLetter): Promise<void> {
  if (rejects.length === 0) return;
  await producer.send({
    topic,
    acks: -1,
    messages: rejects.map((r) => ({
      value: r.original,
      headers: {
        reason: r.reason,
        ...(r.field ? { field: r.field } : {}),
        'source-topic': sourceTopic,
        'source-partition': String(r.partition),
        'source-offset': r.offset,
        'rejected-at': new Date().toISOString(),
        ...(r.requestId !== undefined ? { [kafkaHeaders.requestId]: r.requestId } : {}),
      },
    })),
  });
}
