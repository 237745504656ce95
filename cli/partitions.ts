/**
 * npm run kafka:partitions -- N — raises the partitions of the request, response and dead-letter topics
 * to N (Kafka cannot lower them), so that up to N consumers can share the stream; then scale the
 * streaming workflow (its `scale` signal). Without N, prints each topic's partitions.
 */
import { createKafka } from '../common/clients/kafka';
import { config } from '../common/config';
import { exitWithError } from '../common/logger';
import { topics } from '../common/names';

async function main(): Promise<void> {
  const raw = process.argv[2];
  const wanted = raw === undefined ? undefined : Number(raw);
  if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= 1 && wanted <= 1000)) {
    throw new Error(`expected a whole number of partitions from 1 to 1000, got ${JSON.stringify(raw)}`);
  }
  const cfg = config();
  const admin = createKafka(cfg, 'partitions').admin();
  await admin.connect();
  try {
    const names = [topics.request, topics.response, topics.deadLetter];
    const count = async (): Promise<Map<string, number>> =>
      new Map((await admin.fetchTopicMetadata({ topics: names })).topics.map((t) => [t.name, t.partitions.length]));
    const before = await count();
    if (wanted !== undefined) {
      const grow = names.filter((n) => (before.get(n) ?? 0) < wanted).map((topic) => ({ topic, count: wanted }));
      const lower = names.filter((n) => (before.get(n) ?? 0) > wanted);
      if (lower.length > 0) process.stderr.write(`${lower.join(', ')} already have more than ${wanted} partitions; Kafka cannot lower them\n`);
      if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
    }
    for (const [name, n] of await count()) process.stdout.write(`${name}: ${n} partitions\n`);
    if (wanted !== undefined) {
      process.stdout.write(
        `Up to ${wanted} consumers can share the stream now: npm run temporal -- workflow signal --workflow-id flight-delay-streaming --name scale --input '{"consumers": ${wanted}}'\n` +
          'Set KAFKA_TOPIC_PARTITIONS to match, for topics created from now on.\n',
      );
    }
  } finally {
    await admin.disconnect();
  }
}

main().catch((err: unknown) => exitWithError('kafka:partitions', err));
