import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../common/config';
import { ensureStreamingWorkflow, scaleSignal } from '../common/contracts/streaming';
import { mongoNames } from '../common/names';
import { openFaultContext, openFaultRun, type FaultRun } from './support/fault-run';
import { waitFor } from './support/wait-for';

type Entry = Record<string, unknown>;

/** A child process whose output (stdout and stderr) is kept line by line. */
interface Watched {
  child: ChildProcess;
  lines: string[];
  /** Every line parsed as JSON (a line that is not JSON fails the test). */
  entries(): Entry[];
}

function watch(child: ChildProcess): Watched {
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l.trim() !== ''));
    });
  }
  return {
    child,
    lines,
    entries: () =>
      lines.map((line) => {
        try {
          return JSON.parse(line) as Entry;
        } catch {
          throw new Error(`a line that is not JSON with LOG_FORMAT=json: ${line}`);
        }
      }),
  };
}

const stop = async (w: Watched | undefined): Promise<void> => {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
};

const sinks = ['kafka-response', 'mongodb', 'hdfs-parquet', 'text-file'];

/**
 * LOG_FORMAT=json end to end: a prediction POSTed to an API process with an X-Request-Id and scored by a
 * scoring worker process (the real ones, in processes of their own) can be followed through the JSON
 * logs by its UUID — the API's access line, the stream's line and a line per sink — and each of those
 * lines carries the request id; the stream's lines carry the activity's ids, and the workflow's own
 * log.info reaches the log at LOG_LEVEL=info.
 */
describe('JSON logs', () => {
  let ctx: Awaited<ReturnType<typeof openFaultContext>>;
  let run: FaultRun;
  let worker: Watched | undefined;
  let api: Watched | undefined;
  let port: number;

  before(async () => {
    ctx = await openFaultContext('logs');
    run = await openFaultRun(ctx, 'json');
    const env = { ...process.env, ...ctx.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info' };
    worker = watch(
      spawn(
        process.execPath,
        ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'scoring-worker-process.ts'), run.taskQueue, run.consumerGroup, run.names.request, run.names.response, run.names.deadLetter, run.names.resultsCollection],
        { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    await ensureStreamingWorkflow(ctx.temporal.client, { workflowId: run.workflowId, taskQueue: run.taskQueue, consumers: 1 });
    const apiProcess = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'api-process.ts'), run.workflowId, run.names.request, run.names.response, run.names.resultsCollection, mongoNames.distances],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    api = watch(apiProcess);
    port = await new Promise<number>((resolve, reject) => {
      apiProcess.once('exit', (code) => reject(new Error(`the API process exited with ${code}:\n${api!.lines.join('\n')}`)));
      apiProcess.on('message', (m: { port?: number }) => m.port && resolve(m.port));
    });
    apiProcess.removeAllListeners('exit');
  });

  after(async () => {
    await stop(api);
    await run?.close();
    await stop(worker);
    await ctx?.close();
  });

  it("follows a prediction's UUID and request id from the API's access line to the stream's line and every sink's line", { timeout: 240_000 }, async () => {
    const requestId = `test-${randomUUID()}`;
    const res = await fetch(`http://127.0.0.1:${port}/api/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ Origin: 'ATL', Dest: 'SFO', Carrier: 'AA', DepDelay: 5, FlightDate: '2016-12-25', FlightNum: '1519' }),
    });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('x-request-id'), requestId, 'the request id is answered');
    const { id: uuid } = (await res.json()) as { id: string };

    // A client that sends none gets one made for it.
    const other = await fetch(`http://127.0.0.1:${port}/api/predictions/${uuid}`);
    assert.match(other.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);

    // The stream's consumer may still be joining its group: the sinks' lines come once it scores the request.
    const about = (w: Watched): Entry[] => w.entries().filter((e) => e.uuid === uuid);
    const sinkLines = await waitFor(
      () => {
        const lines = about(worker!).filter((e) => e.msg === 'accepted by sink');
        return Promise.resolve(sinks.every((s) => lines.some((e) => e.sink === s)) ? lines : undefined);
      },
      180_000,
      `a line per sink about ${uuid}`,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nworker:\n${worker!.lines.slice(-40).join('\n')}`);
    });

    const access = about(api!).find((e) => e.msg === 'http' && e.method === 'POST');
    assert.ok(access, `the API's access line about ${uuid}:\n${api!.lines.join('\n')}`);
    assert.equal(access.path, '/api/predictions');
    assert.equal(access.status, 202);
    assert.equal(access.requestId, requestId);
    assert.equal(access.level, 'info');
    assert.equal(typeof access.ms, 'number');

    const scored = about(worker!).find((e) => e.msg === 'scored');
    assert.ok(scored, `the stream's line about ${uuid}`);
    assert.equal(scored.requestId, requestId);
    assert.equal(scored.level, 'info');
    assert.ok([0, 1, 2, 3].includes(scored.prediction as number));
    assert.equal(typeof scored.offset, 'string');
    for (const line of [scored, ...sinkLines]) {
      assert.equal(line.requestId, requestId, `requestId on ${JSON.stringify(line)}`);
      assert.equal(line.workflowId, run.workflowId, `workflowId on ${JSON.stringify(line)}`);
      assert.equal(line.activityType, 'consumeAndScore');
      assert.equal(typeof line.runId, 'string');
      assert.equal(typeof line.attempt, 'number');
    }

    // The workflow's own log.info, through the SDK's runtime logger, at LOG_LEVEL=info.
    await ctx.temporal.client.workflow.getHandle(run.workflowId).signal(scaleSignal, { consumers: 1 });
    const scaling = await waitFor(
      () => Promise.resolve(worker!.entries().find((e) => e.msg === 'scaling the stream')),
      30_000,
      "the streaming workflow's log line",
    );
    assert.equal(scaling.workflowId, run.workflowId);
    assert.equal(scaling.level, 'info');

    console.log(`# ${uuid}: ${about(api!).length} API line(s), ${about(worker!).length} scoring worker line(s) (${sinkLines.map((e) => String(e.sink)).join(', ')})`);
    // Every line of both processes is JSON (entries() throws on one that is not), and the bundle report stayed out.
    assert.ok(api!.entries().length > 0 && worker!.entries().length > 0);
    assert.ok(!worker!.lines.some((l) => l.includes('webpack')), "webpack's bundle report is a debug line");
  });
});
