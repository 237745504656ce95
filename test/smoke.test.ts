/**
 * The README's run command as a user runs it: `npm start` (after the one-time `npm ci` that the test
 * suite itself needed), in a process group of its own as a terminal would. Waits until it says it is
 * ready, posts the seed's default flight (the form's defaults) and receives its prediction, then sends
 * Ctrl-C (SIGINT to the group) and checks that every process it started is gone. Between the two, the stack's
 * Prometheus has every process as a target up and answers the README's queries, and a second
 * `npm run worker:scoring` with a folder of its own joins the stream. The services were up
 * before (npm test brought them up), so they stay up. On a fresh checkout this also trains and promotes
 * the first model through the training workflow.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTemporal, connectTemporal } from '../common/clients/temporal';
import { config, repoRoot } from '../common/config';
import { streamStatsQuery } from '../common/contracts/streaming';
import { workflowIds } from '../common/names';
import { waitFor } from './support/wait-for';

const cfg = config();
const base = `http://${cfg.api.host}:${cfg.api.port}`;
const seedDefaultFlight = { Origin: 'ATL', Dest: 'SFO', Carrier: 'AA', DepDelay: 5, FlightDate: '2016-12-25', FlightNum: '1519' };

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  let child: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  let output = '';

  after(() => {
    // Whatever happened, nothing of it outlives the test.
    for (const c of [child, second]) {
      try {
        if (c?.pid) process.kill(-c.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
  });

  it("comes up, answers the seed's default flight, and stops everything it started on Ctrl-C", { timeout: 15 * 60_000 }, async () => {
    child = spawn('npm', ['start'], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    // 'close': npm and every process that shares its output (the command and its children) have ended.
    const exited = new Promise<string>((resolve) => child!.once('close', (code, signal) => resolve(signal ?? String(code))));
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\nReady in ')) resolve();
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      void exited.then((code) => reject(new Error(`npm start exited (code ${code}) before it was ready:\n${output.slice(-4000)}`)));
    });
    await ready;
    assert.match(output, /Prediction page\s+http:\/\/\S+\/\n/);
    assert.match(output, /Champion model\s+version \d+/);

    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    const res = await fetch(`${base}/api/predictions?wait=10000`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(seedDefaultFlight),
    });
    const body = (await res.json()) as { status: string; result?: { Prediction: number; PredictionLabel: string; Route: string } };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.status, 'done');
    assert.ok([0, 1, 2, 3].includes(body.result!.Prediction));
    assert.equal(body.result!.Route, 'ATL-SFO');
    assert.equal(typeof body.result!.PredictionLabel, 'string');

    // The stack's Prometheus scrapes every process npm start runs, and answers the README's queries.
    const prometheus = async <T>(path: string): Promise<T> => ((await (await fetch(`${cfg.prometheus.url}${path}`)).json()) as { data: T }).data;
    const targets = await waitFor(async () => {
      const { activeTargets } = await prometheus<{ activeTargets: { labels: { job: string }; health: string }[] }>('/api/v1/targets');
      return activeTargets.length > 0 && activeTargets.every((t) => t.health === 'up') ? activeTargets : undefined;
    }, 60_000, 'every Prometheus target up');
    assert.deepEqual(targets.map((t) => t.labels.job).sort(), ['api', 'batch-worker', 'prometheus', 'scoring-worker', 'temporal', 'training-worker']);
    for (const query of [
      'sum(rate(flight_delay_stream_scored_total[1m]))',
      'sum(max by (partition) (flight_delay_stream_lag_messages))',
      'histogram_quantile(0.99, sum by (le) (rate(flight_delay_prediction_latency_seconds_bucket[5m])))',
    ]) {
      const answer = await waitFor(async () => {
        const { result } = await prometheus<{ result: { value: [number, string] }[] }>(`/api/v1/query?${new URLSearchParams({ query }).toString()}`);
        return result.length === 1 ? result[0]! : undefined;
      }, 30_000, `an answer to ${query}`);
      assert.ok(Number.isFinite(Number(answer.value[1])), `${query} = ${answer.value[1]}`);
    }

    // A second scoring worker on this machine, with a folder and a metrics port of its own, joins the stream: it takes one of the
    // consumer activities waiting for a worker with room, and Kafka gives it partitions.
    second = spawn('npm', ['run', 'worker:scoring'], { cwd: repoRoot, detached: true, stdio: 'ignore', env: { ...process.env, STACK_DATA_DIR: mkdtempSync(join(tmpdir(), 'second-worker-')), SCORING_METRICS_PORT: '0', LOG_LEVEL: 'warn' } });
    const temporal = await connectTemporal(cfg);
    try {
      const stats = () => temporal.client.workflow.getHandle(workflowIds.streaming).query(streamStatsQuery);
      const joined = await waitFor(async () => {
        const st = await stats();
        const workers = new Set(st.consumers.filter((c) => c.partitions.length > 0 && c.worker).map((c) => c.worker));
        return workers.size >= 2 ? st : undefined;
      }, 120_000, 'a second scoring worker holding partitions');
      assert.ok(joined.consumers.flatMap((c) => c.partitions).length >= 2);
    } finally {
      await closeTemporal(temporal);
      process.kill(-second.pid!, 'SIGINT');
    }

    // The child processes it reported (workers and API), to check they are gone afterwards.
    await new Promise((r) => setTimeout(r, 500));
    const line = /child processes: (.+)/.exec(output)?.[1] ?? '';
    const pids = [...line.matchAll(/ (\d+)(?:,|$)/g)].map((m) => Number(m[1]));
    assert.equal(pids.length, 4, `four children reported: ${line}`);

    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
    // npm itself dies of the SIGINT (as in a terminal); the command under it exits 0 once all is stopped.
    assert.ok(code === '0' || code === 'SIGINT', `npm start ended with ${code}:\n${output.slice(-3000)}`);
    assert.match(output, /everything this command started has stopped/);
    assert.deepEqual(pids.filter(alive), [], 'no worker or API process left');
    await assert.rejects(fetch(`${base}/health`), 'the API no longer answers');
  });
});
