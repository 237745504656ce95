/**
 * `npm run replay:record [-- <filter>] [--replace]`: runs every workflow of workflows/ through the paths
 * of history-cases/ and saves each run's event history as test/histories/<workflow>-<case>.json, the JSON
 * form of Temporal's tools (recorded-histories.ts), which workflows/replay.test.ts replays against the
 * workflow code of the day. A filter records only the cases whose name contains it. A history it
 * records anew is kept, not overwritten: the file moves to test/histories/recorded-before-<date>/,
 * where it goes on protecting the runs the previous code started (README, "Changing a workflow
 * safely"); `--replace` overwrites instead (for histories no running workflow depends on).
 *
 * The histories are recorded on a Temporal dev server of this process's own — the stack's `temporal`
 * binary (`npm run stack -- up` provisions it), the configured namespace, a free port — for three reasons:
 * its continue-as-new suggestion is lowered to STREAM_SUGGEST_AFTER events (the stack's server suggests it
 * after 4,096, a history of megabytes), so the stream's continue-as-new is recorded in a small file; the
 * training workflow signals the stream under its fixed id, which on the stack's server would reach the
 * deployment's own stream; and the recorded runs leave nothing behind in the stack's namespace.
 * Activities are stand-ins with the real interfaces and result shapes: the histories are what today's
 * workflow code makes of such results, which is all a replay compares.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { config } from '../../common/config';
import { createLogger } from '../../common/logger';
import { temporalCliPath } from '../../infra/services/temporal';
import { historiesDir, historyToJson } from './recorded-histories';
import { archivingCases } from './history-cases/archiving';
import { batchCases } from './history-cases/batch';
import { recording, type HistoryCase } from './history-cases/recording';
import { streamingCases, STREAM_SUGGEST_AFTER } from './history-cases/streaming';
import { trainingCases } from './history-cases/training';
import { tuningCases } from './history-cases/tuning';
import { outcomesCases } from './history-cases/outcomes';

const cases: HistoryCase[] = [...trainingCases, ...tuningCases, ...batchCases, ...archivingCases, ...streamingCases, ...outcomesCases];

async function main(): Promise<void> {
  // Stand-ins fail on purpose (a retried activity): only errors are worth showing.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const cfg = config();
  const log = createLogger('replay:record', cfg.logLevel);
  const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const replace = process.argv.includes('--replace');
  const keptDir = join(historiesDir, `recorded-before-${new Date().toISOString().slice(0, 10)}`);
  const chosen = cases.filter((c) => !filter || c.name.includes(filter));
  if (chosen.length === 0) throw new Error(`no case's name contains "${filter}"; the cases: ${cases.map((c) => c.name).join('; ')}`);

  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath(cfg.stack.home) },
      namespace: cfg.temporal.namespace,
      extraArgs: ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${STREAM_SUGGEST_AFTER}`],
      log: { format: 'pretty', level: 'error' },
    },
  }).catch((err: unknown) => {
    throw new Error(`cannot start a Temporal dev server from ${temporalCliPath(cfg.stack.home)} (npm run stack -- up provisions it): ${(err as Error).message}`);
  });
  try {
    const rec = recording(env.client, env.nativeConnection, bundle);
    mkdirSync(historiesDir, { recursive: true });
    for (const c of chosen) {
      log.info(`recording ${c.name}`);
      for (const run of await c.record(rec)) {
        const history = await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
        const file = join(historiesDir, `${run.file}.json`);
        const json = historyToJson(history);
        if (existsSync(file) && !replace) {
          mkdirSync(keptDir, { recursive: true });
          // Recorded twice in a day: the older one stays kept.
          if (existsSync(join(keptDir, `${run.file}.json`))) log.info(`  ${run.file}.json: overwritten (an older one is kept in ${keptDir} already)`);
          else renameSync(file, join(keptDir, `${run.file}.json`));
        }
        writeFileSync(file, `${json}\n`);
        log.info(`  ${run.file}.json: ${history.events?.length ?? 0} events, ${Math.round(json.length / 1024)} KB`);
      }
    }
  } finally {
    await env.teardown();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`replay:record: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
