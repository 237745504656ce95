/**
 * npm start — the whole system in one command, in the foreground:
 *   1. the six services (the local stack, or those configured by environment), provisioned the first time;
 *   2. the reference data in MongoDB (airports, carriers, origin_dest_distances);
 *   3. the training, scoring and batch workers and the API, as child processes with prefixed logs;
 *   4. a first champion through the training workflow when MLflow's registry has none;
 *   5. waits until the API answers, the streaming workflow runs and the batch schedule exists, then
 *      prints where everything is.
 * Ctrl-C (SIGINT) or SIGTERM stops the children, then the services this command started (a service
 * that was already up stays up). A child that dies stops everything, saying which.
 */
import { connectTemporal, closeTemporal } from '../../common/clients/temporal';
import { createMongoClient, database } from '../../common/clients/mongo';
import { config, temporalUiLink, type Config } from '../../common/config';
import { createLogger, exitWithError, type Logger } from '../../common/logger';
import { workflowIds } from '../../common/names';
import { loadReferenceData } from '../../common/collections/reference-data';
import { Stack } from '../../infra/stack';
import { services } from '../../infra/services';
import { prometheusPage } from '../../infra/services/prometheus';
import { Children } from './children';
import { ensureChampion } from './first-model';
import { setTimeout as sleep } from 'node:timers/promises';

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000} s; see the lines above`);
    await sleep(500);
  }
}

function printWhere(cfg: Config, champion: string, seconds: number, log: Logger): void {
  const api = `http://${cfg.api.host}:${cfg.api.port}`;
  const rows: [string, string][] = [
    ['Prediction page', `${api}/`],
    ['Dashboard', `${api}/dashboard.html`],
    ['API docs', `${api}/docs`],
    ['Temporal UI', temporalUiLink(cfg)],
    ['Schedules', `${cfg.temporal.uiUrl}/namespaces/${encodeURIComponent(cfg.temporal.namespace)}/schedules`],
    ['MLflow UI', cfg.mlflow.trackingUri],
    ['HDFS', `${cfg.hdfs.webhdfsUrl}/explorer.html`],
    ['Prometheus', prometheusPage(cfg, 'targets')],
    ['Champion model', `version ${champion}`],
  ];
  // With LOG_FORMAT=json everything this command writes is JSON lines, this summary included.
  if (cfg.logFormat === 'json') {
    log.info(`ready in ${seconds.toFixed(1)} s`, Object.fromEntries(rows));
    return;
  }
  process.stdout.write(
    `\nReady in ${seconds.toFixed(1)} s.\n${rows.map(([k, v]) => `  ${k.padEnd(18)}${v}`).join('\n')}\n` +
      'Ctrl-C stops the workers, the API and the services this command started.\n\n',
  );
}

async function main(): Promise<number> {
  const started = Date.now();
  const cfg = config();
  const log = createLogger('start', cfg);
  const stack = new Stack(cfg, log.child('stack'), services);

  const upBefore = new Set((await stack.status()).filter((s) => s.up).map((s) => s.name));
  const ours = services.filter((s) => !cfg.external[s.name] && !upBefore.has(s.name));
  const children = new Children(cfg.logFormat);
  let stopping: Promise<number> | undefined;
  const stop = (code: number, why: string): Promise<number> =>
    (stopping ??= (async () => {
      log.info(`${why}: stopping`);
      await children.stopAll();
      if (ours.length > 0) {
        const stopped = await new Stack(cfg, log.child('stack'), ours).down();
        if (stopped.length > 0) log.info(`stopped ${stopped.join(', ')}`);
      }
      log.info('everything this command started has stopped');
      return code;
    })());
  // A Ctrl-C reaches this process twice (from the terminal, and relayed by tsx): the first one stops,
  // the others are ignored rather than killing it halfway through stopping.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0, signal).then((code) => process.exit(code)));

  try {
    log.info(ours.length > 0 ? `starting ${ours.map((s) => s.name).join(', ')} (already up: ${[...upBefore].join(', ') || 'none'})` : 'every service is up already');
    await stack.up();

    const mongo = await createMongoClient(cfg);
    try {
      const loaded = await loadReferenceData(database(mongo, cfg));
      log.info('reference data in MongoDB', {
        airports: loaded.airports.total, carriers: loaded.carriers.total, distances: loaded.distances.total,
        weather: loaded.lookups.weather.total, planes: loaded.lookups.planes.total, schedule: loaded.lookups.schedule.total,
        added: loaded.airports.added + loaded.carriers.added + loaded.distances.added +
          loaded.lookups.weather.added + loaded.lookups.planes.added + loaded.lookups.schedule.added,
      });
    } finally {
      await mongo.close();
    }

    children.start('worker:training', 'workers/training-worker.ts');
    children.start('worker:scoring', 'workers/scoring-worker.ts');
    children.start('worker:batch', 'workers/batch-worker.ts');
    children.start('api', 'api/main.ts');
    void children.firstExit().then(({ name, code }) => {
      if (!stopping) void stop(1, `${name} exited (code ${code ?? 'signal'})`).then((c) => process.exit(c));
    });

    const temporal = await connectTemporal(cfg);
    let champion: string;
    try {
      champion = (await ensureChampion(cfg, temporal.client, log)).version;
      await waitUntil('the streaming workflow', async () => (await temporal.client.workflow.getHandle(workflowIds.streaming).describe()).status.name === 'RUNNING', 120_000);
      await waitUntil('the batch schedule', async () => Boolean(await temporal.client.schedule.getHandle(workflowIds.batchSchedule).describe()), 120_000);
    } finally {
      await closeTemporal(temporal);
    }
    await waitUntil('the API', async () => (await fetch(`http://${cfg.api.host}:${cfg.api.port}/health`)).ok, 120_000);
    printWhere(cfg, champion, (Date.now() - started) / 1000, log);
    log.info(`child processes: ${children.list.map((c) => `${c.name} ${c.process.pid}`).join(', ')}`);
    await new Promise<never>(() => undefined);
    return 0;
  } catch (err) {
    if (stopping) return stopping;
    log.error(err instanceof Error ? err.message : String(err));
    return stop(1, 'start-up failed');
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => exitWithError('start', err),
);
