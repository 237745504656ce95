import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../common/config';
import { mongoNames } from '../common/names';
import { startStreamUnderTest, type StreamUnderTest } from './support/stream-under-test';

/** One HTTP exchange on a connection of its own (no keep-alive), so a round-robin balancer sends each to the next instance. */
function call(port: number, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; instance: string; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, agent: false, headers: { Connection: 'close', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, instance: String(res.headers['x-api-instance']), json: JSON.parse(text) as Record<string, unknown> }));
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

/**
 * Two API processes behind one address (a round-robin TCP balancer, as nginx or a cloud load balancer
 * would be): each answers any client. Every API process reads every response through a consumer group
 * of its own, so a result reaches whichever instance its client waits on, whichever one published it.
 */
describe('two API processes behind one address', () => {
  let stream: StreamUnderTest;
  const apis: ChildProcess[] = [];
  let balancer: Server;
  let port: number;

  before(async () => {
    stream = await startStreamUnderTest('api-scale');
    const env = { ...process.env, MLFLOW_EXPERIMENT: stream.cfg.mlflow.experiment, MLFLOW_REGISTERED_MODEL: stream.cfg.mlflow.registeredModel, LOG_LEVEL: 'warn' };
    const ports = await Promise.all(
      [1, 2].map(
        () =>
          new Promise<number>((resolve, reject) => {
            const api = spawn(
              process.execPath,
              ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'api-process.ts'), stream.workflowId, stream.names.request, stream.names.response, stream.names.resultsCollection, mongoNames.distances],
              { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
            );
            apis.push(api);
            api.once('exit', (code) => reject(new Error(`an API process exited with ${code}`)));
            api.on('message', (m: { port?: number }) => m.port && resolve(m.port));
          }),
      ),
    );
    let next = 0;
    balancer = createServer((client) => {
      const upstream = connect(ports[next++ % ports.length]!, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.once('error', close);
      upstream.once('error', close);
    });
    await new Promise<void>((r) => balancer.listen(0, '127.0.0.1', r));
    port = (balancer.address() as AddressInfo).port;
  });

  after(async () => {
    balancer?.close();
    for (const api of apis) {
      api.removeAllListeners('exit');
      api.kill('SIGTERM');
    }
    await Promise.all(apis.map((a) => (a.exitCode !== null ? Promise.resolve() : new Promise((r) => a.once('exit', r)))));
    await stream?.stop();
  });

  it('answers predict-and-wait on either instance', { timeout: 120_000 }, async () => {
    const body = { Origin: 'JFK', Dest: 'LAX', Carrier: 'AA', DepDelay: 12, FlightDate: '2013-07-04', FlightNum: '1' };
    const answers = await Promise.all(Array.from({ length: 40 }, () => call(port, 'POST', '/api/predictions?wait=10000', body)));
    for (const a of answers) {
      assert.equal(a.status, 200, JSON.stringify(a.json));
      assert.equal(typeof (a.json.result as { Prediction?: unknown }).Prediction, 'number');
    }
    assert.equal(new Set(answers.map((a) => a.instance)).size, 2, 'both instances answered');
  });

  it('hands a result to the instance where the client waits, when another one published the request', { timeout: 120_000 }, async () => {
    const body = { Origin: 'ATL', Dest: 'SFO', Carrier: 'DL', DepDelay: -3, FlightDate: '2013-07-05', FlightNum: '2' };
    for (let i = 0; i < 5; i++) {
      const posted = await call(port, 'POST', '/api/predictions', body);
      assert.equal(posted.status, 202);
      const id = String(posted.json.id);
      // The balancer alternates: the next connection goes to the other instance.
      const got = await call(port, 'GET', `/api/predictions/${id}?wait=10000`);
      assert.notEqual(got.instance, posted.instance, 'asked on the other instance');
      assert.equal(got.status, 200, JSON.stringify(got.json));
      assert.equal((got.json.result as { UUID?: string }).UUID, id);
    }
  });
});
