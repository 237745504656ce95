/**
 * A sink's server going away mid-stream, on the real stack: while 100,000 requests flow, MongoDB is
 * stopped for 30 s, then HDFS for 30 s. The stream stalls (MongoDB) or spools (HDFS) and goes on by
 * itself; at the end every request is exactly once in MongoDB, at least once on the response topic and
 * at least once in the HDFS Parquet files, and nothing valid was dead-lettered. The API stays up
 * throughout and says in /health which dependency is down.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebHdfsClient } from '../common/clients/webhdfs';
import { ensureStreamingWorkflow } from '../common/contracts/streaming';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { Stack } from '../infra/stack';
import { hdfs as hdfsService } from '../infra/services/hdfs';
import { mongo as mongoService } from '../infra/services/mongo';
import { completeMs, faultRequests, openFaultContext, openFaultRun, s, strikeAt } from './support/fault-run';
import { listenApi } from './support/stream-under-test';
import { waitFor } from './support/wait-for';

const outageMs = Number(process.env.SINK_OUTAGE_MS ?? 30_000);

describe('the realtime stream when a sink\'s server goes away', () => {
  let ctx: Awaited<ReturnType<typeof openFaultContext>>;

  before(async () => {
    ctx = await openFaultContext('sink-outage');
  });

  after(async () => {
    await ctx.close();
  });

  /** /health as a client sees it: the status and which dependencies are down. */
  async function health(base: string): Promise<{ status: number; down: string[] }> {
    const res = await fetch(`${base}/health`);
    const body = (await res.json()) as { dependencies: Record<string, { up: boolean }> };
    return { status: res.status, down: Object.entries(body.dependencies).filter(([, d]) => !d.up).map(([name]) => name) };
  }

  /** Messages ever written to a topic: the sum of its partitions' high watermarks. */
  async function messagesOn(topic: string): Promise<number> {
    const admin = ctx.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /** Every result's UUID in the run's HDFS Parquet files (a UUID may stand more than once). */
  async function uuidsOnHdfs(): Promise<string[]> {
    const hdfs = WebHdfsClient.fromConfig(ctx.cfg);
    const { parquetReadObjects } = await import('hyparquet');
    const uuids: string[] = [];
    for (const partition of await hdfs.listStatus(ctx.hdfsDir)) {
      if (partition.type !== 'DIRECTORY') continue;
      for (const file of await hdfs.listStatus(`${ctx.hdfsDir}/${partition.pathSuffix}`)) {
        if (!file.pathSuffix.endsWith('.parquet')) continue;
        const bytes = await hdfs.open(`${ctx.hdfsDir}/${partition.pathSuffix}/${file.pathSuffix}`);
        const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), columns: ['UUID'] });
        for (const row of rows) uuids.push(row.UUID as string);
      }
    }
    return uuids;
  }

  it('stalls while MongoDB is down and spools while HDFS is down, then loses nothing and stores nothing twice in MongoDB', { timeout: 300_000 + 2 * outageMs + completeMs }, async () => {
    const t0 = Date.now();
    const run = await openFaultRun(ctx, 'outage');
    const { api, base } = await listenApi(loadConfig({ ...process.env, ...ctx.env, LOG_LEVEL: 'error' }), run.names, run.workflowId);
    const mongoStack = new Stack(ctx.cfg, createLogger('stack', 'warn'), [mongoService]);
    const hdfsStack = new Stack(ctx.cfg, createLogger('stack', 'warn'), [hdfsService]);
    try {
      const worker = run.startWorker();
      await ensureStreamingWorkflow(ctx.temporal.client, { workflowId: run.workflowId, taskQueue: run.taskQueue });
      assert.deepEqual((await health(base)).down, [], 'every dependency up at the start');
      const uuids = Array.from({ length: faultRequests }, () => randomUUID());
      await run.produce(uuids);

      /** Waits out the outage, asking /health halfway; the requests committed meanwhile. */
      const outage = async (dependency: string, what: string, committedBefore: number): Promise<number> => {
        await sleep(outageMs / 2);
        const during = await health(base);
        assert.equal(during.status, 503, `the API answers /health while ${what} is down`);
        assert.deepEqual(during.down, [dependency]);
        await sleep(outageMs / 2);
        return (await run.committed()) - committedBefore;
      };
      const progressPast = async (n: number, what: string) =>
        waitFor(async () => {
          const c = await run.committed();
          return c >= n ? c : undefined;
        }, 120_000, what);

      // MongoDB away: a batch cannot be stored, so nothing more is committed; the stream retries until it is back.
      const atMongoStop = await progressPast(strikeAt, 'the first requests committed');
      assert.ok(atMongoStop < faultRequests, `the stream finished (${atMongoStop}) before MongoDB could be stopped`);
      assert.deepEqual(await mongoStack.down(), ['mongo'], 'the stack stopped MongoDB');
      const committedInMongoOutage = await outage('mongodb', 'MongoDB', atMongoStop);
      await mongoStack.up();
      const mongoBack = Date.now();
      const atHdfsStop = await progressPast(atMongoStop + strikeAt, 'progress after MongoDB came back');
      const resumedAfterMongo = Date.now() - mongoBack;

      // HDFS away: the Parquet sink spools locally and uploads later, so the stream goes on.
      assert.ok(atHdfsStop < faultRequests, `the stream finished (${atHdfsStop}) before HDFS could be stopped`);
      assert.ok((await hdfsStack.down()).length > 0, 'the stack stopped HDFS');
      const committedInHdfsOutage = await outage('hdfs', 'HDFS', atHdfsStop);
      await hdfsStack.up();

      await run.assertComplete(uuids, completeMs);
      assert.equal(await messagesOn(run.names.deadLetter), 0, 'no valid request dead-lettered');

      // The worker stops as a deployment stops it: its sinks flush, so the last spooled results reach HDFS.
      worker.kill('SIGTERM');
      await new Promise<void>((r) => (worker.exitCode !== null || worker.signalCode !== null ? r() : worker.once('exit', () => r())));
      const onHdfs = await uuidsOnHdfs();
      const distinctOnHdfs = new Set(onHdfs);
      assert.equal(uuids.filter((u) => !distinctOnHdfs.has(u)).length, 0, 'every result in the HDFS Parquet files');
      assert.deepEqual((await health(base)).down, [], 'every dependency up at the end');
      console.log(
        `# outage: ${atMongoStop} committed when MongoDB stopped, ${committedInMongoOutage} during its ${s(outageMs)} outage, scoring again ${s(resumedAfterMongo)} after it came back; ` +
          `${committedInHdfsOutage} committed during the HDFS outage; all ${faultRequests} at ${s(Date.now() - t0)}; ` +
          `HDFS Parquet held ${onHdfs.length} rows for ${faultRequests} requests (${onHdfs.length - distinctOnHdfs.size} repeats)`,
      );
    } finally {
      // Whatever happened, leave the services running for the other tests.
      await mongoStack.up().catch((err: unknown) => console.error(`could not bring MongoDB back: ${String(err)}`));
      await hdfsStack.up().catch((err: unknown) => console.error(`could not bring HDFS back: ${String(err)}`));
      await api.close();
      await run.close();
    }
  });
});
