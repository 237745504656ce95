/**
 * npm run actuals -- FILE — backfills actual arrivals from a JSON-lines file (.jsonl, .jsonl.gz): each
 * line one actual (common/outcomes/actual.ts), published on the actuals topic keyed by its flight, in
 * batches. A line that is not an actual is reported with its number and reason and not published; the
 * run ends with a count of each and exits 1 when a line was refused.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { flightKey, parseActual, type FlightActual } from '../common/outcomes/actual';
import { createKafka, ensureTopics } from '../common/clients/kafka';
import { config } from '../common/config';
import { exitWithError } from '../common/logger';
import { topics } from '../common/names';

const batchSize = 1000;

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || file.startsWith('-')) throw new Error('usage: npm run actuals -- FILE.jsonl[.gz]   (one actual a line: FlightDate, Carrier, FlightNum, Origin, Dest, ArrDelay[, ArrTime])');
  const cfg = config();
  const kafka = createKafka(cfg, 'actuals-backfill');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topics.actuals], cfg.kafka.topicPartitions).finally(() => admin.disconnect());
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let published = 0;
  let refused = 0;
  let batch: FlightActual[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await producer.send({ topic: topics.actuals, acks: -1, messages: batch.map((a) => ({ key: flightKey(a), value: JSON.stringify(a) })) });
    published += batch.length;
    batch = [];
  };
  try {
    const source = createReadStream(file);
    const lines = createInterface({ input: /\.gz$/i.test(file) ? source.pipe(createGunzip()) : source, crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      const parsed = parseActual(line);
      if (!parsed.ok) {
        refused++;
        process.stderr.write(`line ${n}: ${parsed.reason}\n`);
        continue;
      }
      batch.push(parsed.actual);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  process.stdout.write(`${published} actuals published on ${topics.actuals}, ${refused} lines refused\n`);
  if (refused > 0) process.exitCode = 1;
}

main().catch((err: unknown) => exitWithError('actuals', err));
