/**
 * Integration test against the real Kafka broker of the local stack (npm run stack -- up kafka),
 * or the one KAFKA_BROKERS points at. Uses only topics and groups it creates, and removes them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Admin, Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { config } from '../common/config';
import { kafka as kafkaService } from '../infra/services/kafka';
import { freePort } from './support/free-port';

const cfg = config();
const suffix = randomUUID().slice(0, 8);
const topic = `test-kafka-${suffix}`;
const groupId = `test-kafka-group-${suffix}`;
const partitions = 3;

describe('kafka', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  let consumerJoined = false;

  before(async () => {
    kafka = createKafka(cfg, 'test');
    admin = kafka.admin();
    await admin.connect().catch((err: Error) => {
      throw new Error(`Kafka at ${cfg.kafka.brokers.join(',')} does not answer (${err.message}); start it: npm run stack -- up kafka`);
    });
  });

  after(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    try {
      if (consumerJoined) await admin.deleteGroups([groupId]).catch(() => undefined);
      if ((await admin.listTopics()).includes(topic)) await admin.deleteTopics({ topics: [topic] });
    } finally {
      await admin.disconnect();
    }
  });

  it('the stack probe describes the cluster through kafkajs and sees the broker', async () => {
    const probe = await kafkaService.probe(cfg);
    assert.equal(probe.ok, true, probe.detail);
    assert.match(probe.detail, /^Kafka cluster \S+: brokers \d+@/);
    const [host, port] = cfg.kafka.brokers[0]!.split(/:(?=\d+$)/);
    if (!cfg.external.kafka) assert.ok(probe.detail.includes(`@${host}:${port}`), probe.detail);
  });

  it('the probe finds the broker behind a dead one in the list, and says at once when none answers', async () => {
    const dead = await freePort();
    const behindDead = await kafkaService.probe({ ...cfg, kafka: { ...cfg.kafka, brokers: [`127.0.0.1:${dead}`, ...cfg.kafka.brokers] } });
    assert.equal(behindDead.ok, true, behindDead.detail);
    const started = Date.now();
    const none = await kafkaService.probe({ ...cfg, kafka: { ...cfg.kafka, brokers: [`127.0.0.1:${dead}`] } });
    assert.equal(none.ok, false);
    assert.match(none.detail, new RegExp(`127\\.0\\.0\\.1:${dead}: .*ECONNREFUSED`));
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms: retries?`);
  });

  it('ensureTopics creates a topic once and is idempotent', async () => {
    assert.deepEqual(await ensureTopics(admin, [topic, topic], partitions), [topic]);
    assert.deepEqual(await ensureTopics(admin, [topic], partitions), []);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const created = meta.topics.find((t) => t.name === topic);
    assert.ok(created, `metadata lists ${topic}`);
    assert.equal(created.partitions.length, partitions);
    for (const p of created.partitions) assert.ok(p.leader >= 0, `partition ${p.partitionId} has a leader`);
  });

  it('delivers keyed messages to a consumer group, in order per key, from the beginning', async () => {
    const keys = ['ATL-SFO', 'JFK-LAX', 'ORD-DEN', 'SEA-BOS'];
    const rounds = 3;
    const sent = keys.flatMap((key) =>
      Array.from({ length: rounds }, (_, i) => ({ key, value: JSON.stringify({ key, seq: i, id: randomUUID() }) })),
    );
    // Interleave keys, so that per-key order is something the broker and client must keep.
    const interleaved = Array.from({ length: rounds }, (_, i) => sent.filter((_m, j) => j % rounds === i)).flat();

    producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (const batch of [interleaved.slice(0, 6), interleaved.slice(6)]) {
      const acks = await producer.send({
        topic,
        acks: -1,
        messages: batch.map((m) => ({ key: m.key, value: m.value, headers: { 'content-type': 'application/json' } })),
      });
      assert.ok(acks.every((a) => a.errorCode === 0), JSON.stringify(acks));
    }

    // Produced before the consumer exists: only fromBeginning finds them.
    const received: { key: string; value: string; partition: number; offset: bigint; contentType: string }[] = [];
    consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    consumerJoined = true;
    const all = new Promise<void>((resolve) => {
      void consumer!.run({
        eachMessage: ({ partition, message }: EachMessagePayload) => {
          received.push({
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            partition,
            offset: BigInt(message.offset),
            contentType: message.headers?.['content-type']?.toString() ?? '',
          });
          if (received.length >= sent.length) resolve();
          return Promise.resolve();
        },
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${received.length}/${sent.length} messages within 30 s`)), 30_000);
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }

    assert.equal(received.length, sent.length);
    assert.deepEqual(received.map((m) => m.value).sort(), sent.map((m) => m.value).sort());
    assert.ok(received.every((m) => m.contentType === 'application/json'));
    for (const key of keys) {
      const ofKey = received.filter((m) => m.key === key);
      assert.deepEqual(
        ofKey.map((m) => (JSON.parse(m.value) as { seq: number }).seq),
        [0, 1, 2],
        `messages of ${key} arrive in the order produced`,
      );
      assert.equal(new Set(ofKey.map((m) => m.partition)).size, 1, `${key} always lands on one partition`);
      assert.ok(ofKey.every((m, i) => i === 0 || m.offset > ofKey[i - 1]!.offset));
    }
    // The keys spread over more than one partition: the topic really has several.
    assert.ok(new Set(received.map((m) => m.partition)).size > 1, 'keys spread over partitions');

    // The group's committed offsets reach the end of every partition once the consumer stops.
    await consumer.disconnect();
    consumer = undefined;
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    for (const partition of new Set(received.map((m) => m.partition))) {
      const done = committed[0]!.partitions.find((p) => p.partition === partition)?.offset;
      const end = ends.find((e) => e.partition === partition)?.high;
      assert.equal(done, end, `partition ${partition} committed to its end`);
    }
  });
});
