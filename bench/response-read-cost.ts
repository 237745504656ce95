/**
 * What an API instance pays for every response on the response topic, its own clients' or not (each
 * instance reads them all through a consumer group of its own): bench:api publishes results straight to
 * the topic, with no HTTP, and reads the API process's CPU time.
 */
import type { Kafka } from 'kafkajs';
import { sampleResult } from '../test/support/prediction-results';
import { seconds } from './measure';
import { cpuSeconds } from './server-cpu';

export const responsesRead = 50_000;

/**
 * Publishes `responsesRead` results on the response topic, as the stream would, and measures the CPU the
 * API process spends reading them (its result hub parses each and counts it in /metrics): what every API
 * instance pays for every response, since each reads them all.
 */
export async function responseReadCost(kafka: Kafka, topic: string, pid: number, metricsUrl: string): Promise<{ cpuMicros: number; seconds: number }> {
  const seen = async (): Promise<number> =>
    [...(await (await fetch(metricsUrl)).text()).matchAll(/^flight_delay_predictions_total\{[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
  const producer = kafka.producer();
  await producer.connect();
  try {
    const before = await seen();
    const cpuBefore = cpuSeconds(pid);
    const t0 = performance.now();
    for (let i = 0; i < responsesRead; i += 5000) {
      const messages = Array.from({ length: Math.min(5000, responsesRead - i) }, (_, j) => {
        const r = sampleResult(i + j, '2016-12-25');
        return { key: r.UUID, value: JSON.stringify(r) };
      });
      await producer.send({ topic, messages });
    }
    for (let waited = 0; (await seen()) < before + responsesRead; waited++) {
      if (waited > 600) throw new Error('the API did not read the published results within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { cpuMicros: ((cpuSeconds(pid) - cpuBefore) * 1e6) / responsesRead, seconds: seconds(t0) };
  } finally {
    await producer.disconnect();
  }
}
