/**
 * npm run tune -- [options]: starts tuneFlightDelayModel, shows its progress (trials done, the best so
 * far) and prints the table of trials. When no worker polls the training queue, it runs one itself for
 * the duration (each worker runs one trial at a time: start more workers for more trials at once).
 */
import { parseArgs } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { connectTemporal, closeTemporal } from '../common/clients/temporal';
import { config, temporalUiLink } from '../common/config';
import { exitWithError } from '../common/logger';
import { workflowTypes } from '../common/names';
import { describeTrial } from '../common/contracts/search-space';
import { startTuning, tuningProgressQuery, type TuneFlightDelayModelInput, type TuneFlightDelayModelResult } from '../common/contracts/tuning';
import type { TrainFlightDelayModelInput } from '../common/contracts/training';
import { followWithOptionalWorker } from './embedded-worker';
import { installRuntime } from '../workers/runtime';

const usage = `Usage: npm run tune -- [options]
  --try PATH=V1,V2,...      a dimension of the search: an option path of the training input and its values,
                            e.g. --try forest.numTrees=20,50,100 --try forest.maxDepth=5,8 --try featureSet=seed,rich
  --space JSON              the whole space as JSON ({"forest.numTrees": [20, 50]}); --try adds to it
  --strategy grid|random    the grid in order (default) or distinct random points of it
  --max-trials N            the budget (default 10)      --seed N   the random search's seed (default 1)
  --parallelism N           trials in flight at once (default 2; one per training worker)
  --dataset NAME|PATH  --limit N  --feature-set seed|rich  --test-fraction F  --split-seed N
  --trees N  --depth N  --threads N   the base forest every trial starts from
  --promote if-better|always|never   what the best trial's model does to the champion (default if-better)
  --workflow-id ID          default: tune-<dataset>-<time>
  --no-worker               rely on running training workers instead of running one here
  --no-wait                 start the workflow and exit`;

/** A value as typed: a number or JSON when it reads as one, a string otherwise. */
function value(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function parse(argv: string[]): { input: TuneFlightDelayModelInput; workflowId?: string; wait: boolean; worker: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      try: { type: 'string', multiple: true }, space: { type: 'string' }, strategy: { type: 'string' }, 'max-trials': { type: 'string' },
      seed: { type: 'string' }, parallelism: { type: 'string' }, dataset: { type: 'string' }, limit: { type: 'string' },
      'feature-set': { type: 'string' }, 'test-fraction': { type: 'string' }, 'split-seed': { type: 'string' }, trees: { type: 'string' },
      depth: { type: 'string' }, threads: { type: 'string' }, promote: { type: 'string' }, 'workflow-id': { type: 'string' },
      'no-wait': { type: 'boolean' }, 'no-worker': { type: 'boolean' }, help: { type: 'boolean' },
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
  const space: Record<string, unknown[]> = values.space ? (JSON.parse(values.space) as Record<string, unknown[]>) : {};
  for (const dimension of values.try ?? []) {
    const eq = dimension.indexOf('=');
    if (eq <= 0) throw new Error(`--try expects PATH=V1,V2,..., got ${JSON.stringify(dimension)}`);
    space[dimension.slice(0, eq)] = dimension.slice(eq + 1).split(',').map(value);
  }
  const forest = Object.fromEntries(
    Object.entries({ numTrees: num('trees', values.trees), maxDepth: num('depth', values.depth), threads: num('threads', values.threads) }).filter(([, v]) => v !== undefined),
  );
  const input: TuneFlightDelayModelInput = {
    dataset: values.dataset,
    limit: num('limit', values.limit),
    featureSet: values['feature-set'] as TrainFlightDelayModelInput['featureSet'],
    testFraction: num('test-fraction', values['test-fraction']),
    splitSeed: num('split-seed', values['split-seed']),
    forest,
    promote: values.promote as TrainFlightDelayModelInput['promote'],
    space: space,
    strategy: values.strategy as TuneFlightDelayModelInput['strategy'],
    maxTrials: num('max-trials', values['max-trials']),
    seed: num('seed', values.seed),
    parallelism: num('parallelism', values.parallelism),
  };
  return { input: JSON.parse(JSON.stringify(input)) as TuneFlightDelayModelInput, workflowId: values['workflow-id'], wait: !values['no-wait'], worker: !values['no-worker'] };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  const cfg = config();
  installRuntime(cfg);
  const temporal = await connectTemporal(cfg);
  try {
    const { workflowId, handle } = await startTuning(temporal.client, args.input, args.workflowId ? { workflowId: args.workflowId } : {});
    process.stderr.write(`Started ${workflowTypes.tuning} ${workflowId}\n  Temporal UI: ${temporalUiLink(cfg, workflowId)}\n`);
    if (!args.wait) return 0;
    return await followWithOptionalWorker(cfg, Boolean(args.worker), 'Tuning ended', async () => {
      printResult(await followProgress(handle), cfg.mlflow.registeredModel);
    });
  } finally {
    await closeTemporal(temporal);
  }
}

/** Redraws one status line from the progress query until the tuning ends. */
async function followProgress(handle: WorkflowHandle): Promise<TuneFlightDelayModelResult> {
  const tty = process.stderr.isTTY === true;
  let last = '';
  const timer = setInterval(() => {
    void (async () => {
      const p = await handle.query(tuningProgressQuery).catch(() => undefined);
      const line = p
        ? `${p.stage}: ${p.trialsDone}/${p.trialsTotal} trials done, ${p.trialsRunning} running, ${p.trialsFailed} failed` +
          (p.best ? `; best so far #${p.best.index} accuracy ${p.best.accuracy.toFixed(4)}` : '')
        : 'waiting for a worker';
      if (line === last) return;
      last = line;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    })();
  }, 1000);
  try {
    return (await handle.result()) as TuneFlightDelayModelResult;
  } finally {
    clearInterval(timer);
    if (tty) process.stderr.write('\r\x1b[K');
  }
}

function printResult(r: TuneFlightDelayModelResult, modelName: string): void {
  const f = (x: number | undefined): string => (x === undefined ? '     -' : x.toFixed(4));
  const rows = r.trials.map(
    (t) => `  ${t.index === r.best.index ? '*' : ' '}${String(t.index).padStart(3)}  ${t.status.padEnd(9)} ${f(t.accuracy)}  ${f(t.weightedF1)}  ${f(t.logLoss)}  ${describeTrial(t)}${t.error ? `  (${t.error})` : ''}`,
  );
  process.stdout.write(
    [
      '',
      '  trial  status  accuracy  wF1     log loss  values',
      ...rows,
      '',
      `Best: trial ${r.best.index} (${describeTrial(r.best)}), version ${r.version} of ${modelName} — ${r.promoted ? 'promoted to champion' : 'not promoted'} (${r.promotionReason})`,
      `  MLflow parent run: ${r.mlflowRunUrl}`,
      '',
    ].join('\n'),
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => exitWithError('tune', err),
);
