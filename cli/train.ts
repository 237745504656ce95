/**
 * npm run train -- [options]: starts trainFlightDelayModel, shows its progress from the activities'
 * heartbeats and prints the resulting metrics. When no worker polls the training queue, it runs one
 * itself for the duration. `--schedule "<cron>"` instead creates (or updates) a Temporal Schedule.
 */
import { parseArgs } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { connectTemporal, closeTemporal } from '../common/clients/temporal';
import { config, temporalUiLink } from '../common/config';
import { exitWithError } from '../common/logger';
import { workflowIds, workflowTypes } from '../common/names';
import { startTraining, trainingStatusQuery, type TrainFlightDelayModelInput, type TrainFlightDelayModelResult, type TrainingHeartbeat } from '../common/contracts/training';
import { removeSchedule, trainingSchedule, upsertSchedule } from '../workers/schedules';
import { followWithOptionalWorker } from './embedded-worker';
import { installRuntime } from '../workers/runtime';

const usage = `Usage: npm run train -- [options]
  --dataset NAME|PATH       nycflights13 (default), flights-3m, or a .jsonl[.gz|.bz2] / .parquet file
  --limit N                 read at most N rows
  --feature-set NAME        seed (the seed's nine features, default), rich (+ scheduled departure hour),
                            weather, aircraft, traffic, full (+ arrival hour and looked-up features)
  --estimator forest|boosted   the random forest (default) or gradient-boosted trees
  --trees N  --depth N  --bins N  --min-instances N  --seed N  --threads N   forest parameters
  --tree-shape leafwise|oblivious   boosted trees: leaf-wise (default) or oblivious (fast to score)
  --rounds N  --learning-rate F  --depth N  --leaves N  --bins N  --lambda F  --min-child-weight F
  --min-samples-leaf N  --subsample F  --colsample F  --validation F  --patience N  --seed N  --threads N
                            boosted trees' parameters (--depth, --bins, --seed, --threads serve both)
  --test-fraction F         held-out share (default 0.2)     --split-seed N
  --split random|time       random (default), or by time: train before --cut-date, test on and after it
  --cut-date YYYY-MM-DD     the time split's cut (default: holds out the data's last two months)
  --from YYYY-MM-DD         leave out the flights before this date (a recent window)
  --through YYYY-MM-DD      leave out the flights after this date (a model of the past, e.g. January–October)
  --promote if-better|always|never   (default if-better)
  --workflow-id ID          default: train-<dataset>-<time>
  --schedule "CRON"         create or update the schedule "${'flight-delay-training-schedule'}" and exit
  --timezone TZ             the schedule's time zone (default UTC)
  --unschedule              delete that schedule and exit
  --no-worker               rely on a running worker (npm run worker:training) instead of running one here
  --no-wait                 start the workflow and exit`;

function parse(argv: string[]): { input: TrainFlightDelayModelInput; workflowId?: string; schedule?: string; timezone: string; unschedule: boolean; wait: boolean; worker: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: 'string' }, limit: { type: 'string' }, 'feature-set': { type: 'string' },
      estimator: { type: 'string' }, rounds: { type: 'string' }, 'learning-rate': { type: 'string' }, lambda: { type: 'string' },
      'min-child-weight': { type: 'string' }, 'min-samples-leaf': { type: 'string' }, subsample: { type: 'string' }, colsample: { type: 'string' },
      validation: { type: 'string' }, patience: { type: 'string' }, leaves: { type: 'string' }, 'tree-shape': { type: 'string' },
      trees: { type: 'string' }, depth: { type: 'string' }, bins: { type: 'string' }, 'min-instances': { type: 'string' },
      seed: { type: 'string' }, threads: { type: 'string' }, 'test-fraction': { type: 'string' }, 'split-seed': { type: 'string' },
      split: { type: 'string' }, 'cut-date': { type: 'string' }, from: { type: 'string' }, through: { type: 'string' },
      promote: { type: 'string' }, 'workflow-id': { type: 'string' }, schedule: { type: 'string' }, timezone: { type: 'string' },
      unschedule: { type: 'boolean' }, 'no-wait': { type: 'boolean' }, 'no-worker': { type: 'boolean' }, help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got ${JSON.stringify(v)}`);
    return n;
  };
  const defined = (o: Record<string, number | undefined>): Record<string, number> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, number>;
  const estimator = values.estimator as TrainFlightDelayModelInput['estimator'];
  const boostedOnly = ['tree-shape', 'rounds', 'learning-rate', 'leaves', 'lambda', 'min-child-weight', 'min-samples-leaf', 'subsample', 'colsample', 'validation', 'patience'] as const;
  const forestOnly = ['trees', 'min-instances'] as const;
  const misplaced = estimator === 'boosted' ? forestOnly.find((f) => values[f] !== undefined) : boostedOnly.find((f) => values[f] !== undefined);
  if (misplaced) throw new Error(`--${misplaced} is a ${estimator === 'boosted' ? 'forest' : 'boosted trees'} parameter (give --estimator ${estimator === 'boosted' ? 'forest' : 'boosted'})`);
  const shared = { maxDepth: num('depth', values.depth), maxBins: num('bins', values.bins), seed: num('seed', values.seed), threads: num('threads', values.threads) };
  const forest = estimator === 'boosted' ? {} : defined({
    numTrees: num('trees', values.trees), ...shared,
    minInstancesPerNode: num('min-instances', values['min-instances']),
  });
  const treeShape = values['tree-shape'] as NonNullable<TrainFlightDelayModelInput['boosted']>['treeShape'] | undefined;
  const boosted = estimator === 'boosted' ? { ...(treeShape ? { treeShape } : {}), ...defined({
    numRounds: num('rounds', values.rounds), learningRate: num('learning-rate', values['learning-rate']), ...shared, maxLeaves: num('leaves', values.leaves), lambda: num('lambda', values.lambda),
    minChildWeight: num('min-child-weight', values['min-child-weight']), minSamplesLeaf: num('min-samples-leaf', values['min-samples-leaf']),
    subsample: num('subsample', values.subsample), colsample: num('colsample', values.colsample),
    validationFraction: num('validation', values.validation), earlyStoppingRounds: num('patience', values.patience),
  }) } : undefined;
  const input: TrainFlightDelayModelInput = {
    dataset: values.dataset,
    limit: num('limit', values.limit),
    featureSet: values['feature-set'] as TrainFlightDelayModelInput['featureSet'],
    testFraction: num('test-fraction', values['test-fraction']),
    splitSeed: num('split-seed', values['split-seed']),
    split: values.split as TrainFlightDelayModelInput['split'],
    cutDate: values['cut-date'],
    from: values.from,
    through: values.through,
    estimator,
    forest,
    boosted,
    promote: values.promote as TrainFlightDelayModelInput['promote'],
  };
  return { input: JSON.parse(JSON.stringify(input)) as TrainFlightDelayModelInput, workflowId: values['workflow-id'], schedule: values.schedule, timezone: values.timezone ?? 'UTC', unschedule: values.unschedule ?? false, wait: !values['no-wait'], worker: !values['no-worker'] };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  const cfg = config();
  installRuntime(cfg);
  const temporal = await connectTemporal(cfg);
  try {
    if (args.unschedule) {
      process.stdout.write(`${await removeSchedule(temporal.client, workflowIds.trainingSchedule)}\n`);
      return 0;
    }
    if (args.schedule) {
      process.stdout.write(`${await upsertSchedule(temporal.client, trainingSchedule(args.schedule, args.timezone, args.input))}\n`);
      return 0;
    }
    const { workflowId, handle } = await startTraining(temporal.client, args.input, args.workflowId ? { workflowId: args.workflowId } : {});
    process.stderr.write(`Started ${workflowTypes.training} ${workflowId}\n  Temporal UI: ${temporalUiLink(cfg, workflowId)}\n`);
    if (!args.wait) return 0;

    // A worker of its own, so that `npm run train` works on its own; an extra worker beside a running
    // one is harmless (Temporal hands each task to one of them).
    return await followWithOptionalWorker(cfg, Boolean(args.worker), 'Training failed', async () => {
      const result = await followProgress(handle);
      printResult(result, cfg.mlflow.trackingUri, cfg.mlflow.registeredModel);
    });
  } finally {
    await closeTemporal(temporal);
  }
}

/** Redraws one status line from the workflow's query and its activity's heartbeat until it ends. */
async function followProgress(handle: WorkflowHandle): Promise<TrainFlightDelayModelResult> {
  const tty = process.stderr.isTTY === true;
  let last = '';
  const timer = setInterval(() => {
    void (async () => {
      const [status, description] = await Promise.all([handle.query(trainingStatusQuery).catch(() => undefined), handle.describe().catch(() => undefined)]);
      const pending = description?.raw.pendingActivities?.[0];
      const payload = pending?.heartbeatDetails?.payloads?.[0];
      const beat = payload ? defaultPayloadConverter.fromPayload<TrainingHeartbeat>(payload) : undefined;
      const line = `${status?.stage ?? 'waiting for a worker'}${pending && (pending.attempt ?? 1) > 1 ? ` (attempt ${pending.attempt})` : ''} ${describeBeat(beat)}`;
      if (line === last) return;
      last = line;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    })();
  }, 500);
  try {
    return (await handle.result()) as TrainFlightDelayModelResult;
  } finally {
    clearInterval(timer);
    if (tty) process.stderr.write('\r\x1b[K');
  }
}

function describeBeat(beat: TrainingHeartbeat | undefined): string {
  if (!beat) return '';
  const bar = (done: number, total: number): string => {
    const f = total > 0 ? Math.min(1, done / total) : 0;
    return `[${'#'.repeat(Math.round(f * 30)).padEnd(30, '-')}] ${(f * 100).toFixed(0).padStart(3)}%`;
  };
  switch (beat.stage) {
    case 'load':
      return `${bar(beat.bytes, beat.totalBytes)} ${beat.rows.toLocaleString('en-US')} rows`;
    case 'features':
      return 'building feature matrices';
    case 'write':
      return "writing the feature matrices to the workflow's HDFS folder";
    case 'train':
      return `${bar(beat.treesDone, beat.numTrees)} ${beat.treesDone}/${beat.numTrees} trees`;
    case 'save':
      return 'writing, evaluating, logging or registering the model';
  }
}

function printResult(r: TrainFlightDelayModelResult, mlflowUri: string, modelName: string): void {
  const f = (x: number): string => x.toFixed(4);
  process.stdout.write(
    [
      '',
      `Model version ${r.version} of ${modelName} — ${r.promoted ? 'promoted to champion' : 'not promoted'} (${r.promotionReason})`,
      `  held-out rows ${r.testRows.toLocaleString('en-US')} (trained on ${r.trainRows.toLocaleString('en-US')}), features: ${r.features.join(', ')}`,
      `  accuracy ${f(r.accuracy)}  weighted F1 ${f(r.weightedF1)}  log loss ${f(r.logLoss)}  majority baseline ${f(r.baselineAccuracy)}`,
      `  MLflow run: ${r.mlflowRunUrl}`,
      `  Models:     ${mlflowUri}/#/models/${modelName}`,
      '',
    ].join('\n'),
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => exitWithError('train', err),
);
