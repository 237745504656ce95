import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import { freePort } from '../workers/temporal-sdk-metrics';
import { openFaultContext, openFaultRun, request, type FaultRun } from './support/fault-run';
import { waitFor } from './support/wait-for';

/** The samples of a metric family's series in a scrape: series (name and labels) → value. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}
/** The sum of a family's series, or of those whose labels include `label` (`sink="mongodb"`). */
const total = (text: string, name: string, label = ''): number =>
  [...samples(text, name)].filter(([series]) => series.includes(label)).reduce((a, [, v]) => a + v, 0);

const valid = 24;
const invalid = 3;

/**
 * A scoring worker in a process of its own serves /metrics on the port its setting gives: Node's
 * process metrics, the Temporal SDK's own (temporal_…), and the stream's, whose counters match what
 * was sent through Kafka.
 */
describe("a scoring worker's /metrics", () => {
  let ctx: Awaited<ReturnType<typeof openFaultContext>>;
  let run: FaultRun;
  let url: string;

  before(async () => {
    ctx = await openFaultContext('metrics');
    run = await openFaultRun(ctx, 'metrics');
    const port = await freePort('127.0.0.1');
    url = `http://127.0.0.1:${port}/metrics`;
    run.startWorker({ SCORING_METRICS_PORT: String(port) });
    await ensureStreamingWorkflow(ctx.temporal.client, { workflowId: run.workflowId, taskQueue: run.taskQueue, consumers: 1 });
  });

  after(async () => {
    await run?.close();
    await ctx?.close();
  });

  it('serves process, Temporal SDK and stream metrics that count what went through Kafka', { timeout: 180_000 }, async () => {
    const producer = ctx.kafka.producer();
    await producer.connect();
    try {
      const requested = new Date().toISOString();
      await producer.send({
        topic: run.names.request,
        acks: -1,
        messages: [
          ...Array.from({ length: valid }, (_, i) => ({ value: JSON.stringify({ ...request(randomUUID(), i), Timestamp: requested }) })),
          ...Array.from({ length: invalid }, () => ({ value: JSON.stringify({ UUID: randomUUID(), Origin: 'JFK' }) })),
        ],
      });
    } finally {
      await producer.disconnect();
    }
    try {
      await waitFor(async () => ((await run.committed()) >= valid + invalid ? true : undefined), 150_000, `${valid + invalid} requests committed`);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${run.workerLogs()}`);
    }
    // Counted when every sink accepted a batch, which is before its offsets are committed.
    const text = await waitFor(async () => {
      const res = await fetch(url);
      const body = await res.text();
      return res.status === 200 && total(body, 'flight_delay_stream_consumed_total') >= valid + invalid ? body : undefined;
    }, 30_000, 'the consumed counter reaching what was sent');

    // Node's process metrics, labelled with the process.
    assert.match(text, /^process_cpu_seconds_total\{process="scoring-worker"\} /m);
    assert.match(text, /^nodejs_eventloop_lag_seconds\{process="scoring-worker"\} /m);
    // The Temporal SDK's own, from Core's exporter, in seconds and with _total counters; no family declared twice.
    assert.match(text, /^# TYPE temporal_\w+ /m);
    assert.match(text, /^temporal_\w+_total\{/m);
    const types = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
    assert.equal(new Set(types).size, types.length, 'each family declared once');

    // The stream's: one consumer (slot 0) stored everything.
    assert.equal(total(text, 'flight_delay_stream_consumed_total', 'consumer="0"'), valid + invalid);
    assert.match(text, /^flight_delay_stream_consumed_total\{consumer="0",process="scoring-worker"\} /m);
    assert.equal(total(text, 'flight_delay_stream_scored_total'), valid);
    assert.equal(total(text, 'flight_delay_stream_dead_lettered_total'), invalid);
    assert.equal(total(text, 'flight_delay_stream_predictions_total'), valid);
    assert.equal(total(text, 'flight_delay_stream_request_to_scored_seconds_count'), valid);
    for (const sink of ['kafka-response', 'mongodb', 'hdfs-parquet', 'text-file', 'kafka-dead-letter']) {
      assert.ok(total(text, 'flight_delay_stream_sink_write_duration_seconds_count', `sink="${sink}"`) > 0, `writes to ${sink} timed`);
    }
    const lag = samples(text, 'flight_delay_stream_lag_messages');
    assert.ok(lag.size > 0, 'lag by partition');
    assert.deepEqual([...lag.values()].filter((v) => v !== 0), [], 'nothing left behind');
    assert.equal([...samples(text, 'flight_delay_stream_model_info').values()].join(), '1', 'one model version in use');

    assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
  });
});
