import { Kafka, logLevel, type Admin, type ITopicConfig, type KafkaConfig, type logCreator } from 'kafkajs';
import type { Config } from '../config';
import { createLogger, type LogLevel, type LogSettings } from '../logger';

/**
 * kafkajs is chatty: its INFO level narrates every group join and connection. The project's
 * default level (info) therefore shows only kafkajs warnings and errors; LOG_LEVEL=debug shows its info.
 */
const levelFor: Record<LogLevel, logLevel> = {
  debug: logLevel.INFO,
  info: logLevel.WARN,
  warn: logLevel.WARN,
  error: logLevel.ERROR,
};

/** Routes kafkajs' log entries into the project's logger (stderr, one line each). */
function kafkajsLogCreator(settings: LogSettings): logCreator {
  const log = createLogger('kafkajs', settings);
  return () =>
    ({ namespace, level: entryLevel, log: entry }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry as { message: string; [k: string]: unknown };
      // Every producer here uses the v2 default partitioner (murmur2, as in the Java client) on purpose.
      if (message.startsWith('KafkaJS v2.0.0 switched default partitioner')) return;
      const line = namespace ? `${namespace}: ${message}` : message;
      const extra = Object.keys(fields).length > 0 ? fields : undefined;
      // kafkajs logs every error response at ERROR, even the transient ones it then retries (e.g.
      // "coordinator is loading" right after start-up). Whatever is not retried away reaches the
      // caller as an exception, so these lines are debug detail.
      if (namespace === 'Connection' && message.startsWith('Response ')) log.debug(line, extra);
      else if (entryLevel === logLevel.ERROR) log.error(line, extra);
      else if (entryLevel === logLevel.WARN) log.warn(line, extra);
      else if (entryLevel === logLevel.INFO) log.info(line, extra);
      else log.debug(line, extra);
    };
}

/**
 * The project's kafkajs client: brokers and client id from config, quiet unless LOG_LEVEL asks.
 * `overrides` change single options, e.g. the stack's probes: one broker, no retries, no log.
 */
export function createKafka(
  config: Pick<Config, 'kafka' | 'logLevel'> & Partial<Pick<Config, 'logFormat'>>,
  clientIdSuffix?: string,
  overrides: Partial<KafkaConfig> = {},
): Kafka {
  return new Kafka({
    clientId: clientIdSuffix ? `${config.kafka.clientId}-${clientIdSuffix}` : config.kafka.clientId,
    brokers: config.kafka.brokers,
    logLevel: levelFor[config.logLevel],
    logCreator: kafkajsLogCreator(config),
    ...overrides,
  });
}

/**
 * Creates the topics that do not exist yet, with `partitions` partitions and the broker's default
 * replication factor; existing topics are left as they are. Safe to call concurrently and repeatedly.
 * Resolves with the names it created.
 */
export async function ensureTopics(admin: Admin, topics: readonly string[], partitions = 1): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  const wanted: ITopicConfig[] = missing.map((topic) => ({ topic, numPartitions: partitions }));
  const created = await admin.createTopics({ topics: wanted, waitForLeaders: true });
  if (created) return missing;
  // Another process created some of them meanwhile (TOPIC_ALREADY_EXISTS), which skips the wait
  // for leaders: make sure they all exist and have leaders before returning.
  await admin.fetchTopicMetadata({ topics: missing });
  return [];
}
