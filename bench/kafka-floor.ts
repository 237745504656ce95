/**
 * The floor of a realtime answer on this machine: the same two Kafka hops as the stream — a request
 * topic read by a consumer that sends each batch straight on to a response topic, read by a waiting
 * consumer — with no scoring and no sinks, at the same steady rate. Measured in the same run as the
 * stream, because the floor moves from run to run with the machine's load.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { ensureTopics } from '../common/clients/kafka';
import { sendAtRate } from './steady-rate';

export interface FloorSettings {
  rate: number;
  seconds: number;
  partitions: number;
  /** The echo consumer's fetch wait: the stream's STREAM_BATCH_MAX_WAIT_MS. */
  echoMaxWaitMs: number;
  /** The waiting consumer's fetch wait: the benchmark's own response reader's. */
  readerMaxWaitMs: number;
}

/** Produce → received latencies (ms, sorted) of `rate × seconds` messages through the two hops. */
export async function measureKafkaFloor(kafka: Kafka, settings: FloorSettings): Promise<number[]> {
  const id = randomUUID().slice(0, 8);
  const request = `floor-req-${id}`;
  const response = `floor-resp-${id}`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [request, response], settings.partitions);
  const producer = kafka.producer();
  const echoProducer = kafka.producer({ allowAutoTopicCreation: false });
  const echo = kafka.consumer({ groupId: `floor-echo-${id}`, maxWaitTimeInMs: settings.echoMaxWaitMs, minBytes: 1 });
  const reader = kafka.consumer({ groupId: `floor-reader-${id}`, maxWaitTimeInMs: settings.readerMaxWaitMs, minBytes: 1 });
  const latencies: number[] = [];
  try {
    await Promise.all([producer.connect(), echoProducer.connect(), echo.connect(), reader.connect()]);
    await echo.subscribe({ topic: request, fromBeginning: true });
    await reader.subscribe({ topic: response, fromBeginning: true });
    const joined = Promise.all([echo, reader].map((c) => new Promise<void>((r) => c.on(c.events.GROUP_JOIN, () => r()))));
    // Neither commits offsets after each batch (kafkajs' default): the stream commits on a timer, and the
    // waiting clients (the API's result hub) never do; a commit per batch is a round trip between fetches.
    await echo.run({
      autoCommit: false,
      partitionsConsumedConcurrently: settings.partitions,
      eachBatch: async ({ batch }) => {
        await echoProducer.send({ topic: response, messages: batch.messages.map((m) => ({ key: m.key, value: m.value })) });
      },
    });
    await reader.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        const now = Date.now();
        for (const m of batch.messages) latencies.push(now - Number(m.value!.toString()));
        return Promise.resolve();
      },
    });
    await joined;
    const { sent } = await sendAtRate(
      (count) => producer.send({ topic: request, messages: Array.from({ length: count }, () => ({ value: String(Date.now()) })) }),
      settings.rate,
      settings.seconds,
    );
    const deadline = Date.now() + 60_000;
    while (latencies.length < sent && Date.now() < deadline) await sleep(20);
    if (latencies.length < sent) throw new Error(`the Kafka floor: ${latencies.length} of ${sent} echoes came back within 60 s`);
    return latencies.sort((a, b) => a - b);
  } finally {
    await Promise.allSettled([echo.disconnect(), reader.disconnect(), producer.disconnect(), echoProducer.disconnect()]);
    await admin.deleteTopics({ topics: [request, response] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
