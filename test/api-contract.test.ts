import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { repoRoot } from '../common/config';
import type { Api } from '../api/app';
import { startApiUnderTest, startStreamUnderTest, type StreamUnderTest } from './support/stream-under-test';

const apiKey = 'contract-test-key-0123456789';
/** Fixed by default so that a run is repeatable; SCHEMATHESIS_SEED explores others. */
const seed = process.env.SCHEMATHESIS_SEED ?? '20261129';
const maxExamples = process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '25';

/** Runs a command, resolving with its exit code and everything it wrote. */
function runCommand(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Terminates what the API started on a task queue no worker polls (the contract's training and batch runs). */
async function terminateRunsOn(client: Client, taskQueue: string): Promise<number> {
  let n = 0;
  for await (const w of client.workflow.list({ query: `TaskQueue="${taskQueue}" AND ExecutionStatus="Running"` })) {
    await client.workflow.getHandle(w.workflowId, w.runId).terminate('contract test over').catch(() => undefined);
    n++;
  }
  return n;
}

/**
 * The API's contract, as a client reads it from /docs/openapi.json, against the API's behaviour:
 * Schemathesis (PyPI; `npm test` installs it in a virtualenv of its own) generates valid and invalid
 * requests for every operation and runs every check it has — status codes, content types, headers and
 * bodies against the document, valid data accepted, invalid data refused, undeclared methods answered
 * 405 with Allow, the API key required where declared — against the real stack. The runs it starts go
 * to task queues of this test's own, which no worker polls, and are terminated afterwards.
 */
describe('the API contract (OpenAPI document vs behaviour)', () => {
  let stream: StreamUnderTest;
  let api: Api;
  let base: string;
  const id = randomUUID().slice(0, 8);
  const queues = { training: `contract-training-${id}`, batch: `contract-batch-${id}` };

  before(async () => {
    stream = await startStreamUnderTest('contract');
    ({ api, base } = await startApiUnderTest(
      stream,
      { API_KEY: apiKey, API_RATE_LIMIT_PER_MINUTE: '1000000', API_MAX_WAIT_MS: '200', API_SSE_TIMEOUT_MS: '200' },
      { trainingTaskQueue: queues.training, batch: { taskQueue: queues.batch } },
    ));
  });

  after(async () => {
    const client = stream?.scoring.temporal.client;
    if (client) for (const q of Object.values(queues)) await terminateRunsOn(client, q).catch(() => undefined);
    await api?.close();
    await stream?.stop();
  });

  it('answers an undeclared method 405 with Allow, and OPTIONS 204 with Allow', async () => {
    const del = await fetch(`${base}/api/predictions/latest`, { method: 'DELETE' });
    assert.equal(del.status, 405);
    assert.equal(del.headers.get('allow'), 'GET, HEAD');
    const put = await fetch(`${base}/api/predictions`, { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'POST');
    const options = await fetch(`${base}/api/models/7/promote`, { method: 'OPTIONS' });
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('allow'), 'POST');
    assert.equal((await fetch(`${base}/no/such/path`, { method: 'DELETE' })).status, 404, 'a path the document does not know stays 404');
  });

  it('refuses a bad query parameter with a 400 naming it, where it once answered 20 rows', async () => {
    const res = await fetch(`${base}/api/predictions/latest?limit=abc`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { field: string; message: string };
    assert.equal(body.field, 'limit');
    assert.match(body.message, /^limit: /);
  });

  it('documents each parameter with the rule that validates it', async () => {
    const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[]; responses: Record<string, unknown> }>>;
    };
    const wait = doc.paths['/api/predictions']!.post!.parameters!.find((p) => p.name === 'wait')!;
    assert.deepEqual(wait.schema, { type: 'integer', minimum: 0, maximum: 60000 });
    const promote = doc.paths['/api/models/{version}/promote']!.post!;
    assert.deepEqual(Object.keys(promote.responses).sort(), ['200', '400', '401', '404', '429']);
    const seedResponse = doc.paths['/flights/delays/predict/classify_realtime/response/{id}']!.get!;
    assert.ok(seedResponse.parameters!.some((p) => p.name === 'id'), 'the seed response route declares its id');
  });

  it('Schemathesis finds no failure and no error with every check', async (t) => {
    const command = process.env.SCHEMATHESIS_PATH;
    assert.ok(command, 'SCHEMATHESIS_PATH is not set: run this test with `npm test -- api-contract`, which installs Schemathesis');
    const { code, output } = await runCommand(command, [
      '--config-file', join(repoRoot, 'test', 'contract', 'schemathesis.toml'),
      'run', `${base}/docs/openapi.json`,
      '--checks', 'all',
      '-H', `x-api-key: ${apiKey}`,
      '--max-examples', maxExamples,
      '--seed', seed,
      '--workers', '1',
    ]);
    const summary = output.slice(output.lastIndexOf('SUMMARY'));
    // The failures first (a generated body can be long: each line cut at 600 characters), then the summary.
    const failures = output.includes('FAILURES') ? output.slice(output.indexOf('FAILURES'), output.indexOf('SUMMARY')) : output.slice(-12_000);
    const readable = failures.split('\n').map((line) => (line.length > 600 ? `${line.slice(0, 600)} …` : line)).join('\n');
    assert.equal(code, 0, `Schemathesis failed:\n${readable.slice(0, 20_000)}\n${summary}`);
    assert.match(summary, /Tested:\s+31\b/, `every operation tested:\n${summary}`);
    assert.doesNotMatch(summary, /\berrors?\b.*\d|❌/, `no errors:\n${summary}`);
    const cases = /Test cases:\s*\n\s*(.+)/.exec(summary)?.[1];
    if (cases) t.diagnostic(`schemathesis: ${cases.trim()} (seed ${seed}, at most ${maxExamples} examples an operation)`);
  });
});
