/**
 * The DAG's first task: the day's tasks → `<BATCH_HDFS_DIR>/<date>/tasks.jsonl` (the seed's
 * prediction_tasks_daily.json/<date>). Tasks come from MongoDB `prediction_tasks` (FlightDate = the
 * date), or from a JSON-lines file on HDFS or on the worker's disk; a file's lines of other dates are
 * left out, so one file can feed a whole backfill. Lines are copied as they are: a line that is not a
 * task still reaches scoring, which rejects it with the reason.
 */
import { readFile } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { batchFilePath } from '../../common/batch-storage';
import type { TaskSourceSpec } from '../../common/contracts/batch';
import { JsonLinesWriter, jsonLines } from './json-lines';
import { batchCollections, type BatchDeps, type BatchRunRef } from './deps';
import { updateManifest } from './manifest';


export interface StageTasksResult {
  tasksPath: string;
  tasks: number;
  /** Lines of the source file that belong to other dates. */
  otherDates: number;
}

const progressEvery = 50_000;

export async function stageDailyTasks(deps: BatchDeps, run: BatchRunRef & { source: TaskSourceSpec }): Promise<StageTasksResult> {
  const ctx = Context.current();
  const tasksPath = batchFilePath(deps.hdfsDir, run.date, 'tasks');
  const out = new JsonLinesWriter();
  let otherDates = 0;
  const heartbeat = () => ctx.heartbeat({ stage: 'stage-tasks', tasks: out.count, otherDates });

  if (run.source.kind === 'mongo') {
    const cursor = deps.db
      .collection(batchCollections(deps).tasks)
      .find({ FlightDate: run.date }, { projection: { _id: 0 }, batchSize: 10_000 });
    for await (const task of cursor) {
      out.push(task);
      if (out.count % progressEvery === 0) heartbeat();
    }
  } else {
    const buffer = await readSource(deps, run.source);
    if (run.source.kind === 'hdfs' && run.source.path === tasksPath) {
      // The date's own task file: nothing to copy, only to count.
      const count = [...jsonLines(buffer)].length;
      await updateManifest(deps, run, { status: 'tasks-staged', tasks: count, hdfs: { tasks: tasksPath } });
      return { tasksPath, tasks: count, otherDates: 0 };
    }
    for (const { text } of jsonLines(buffer)) {
      const lineDate = dateOfLine(text);
      if (lineDate !== undefined && lineDate !== run.date) {
        otherDates++;
        continue;
      }
      out.pushLine(text);
      if (out.count % progressEvery === 0) heartbeat();
    }
  }
  heartbeat();
  await deps.hdfs.create(tasksPath, out.toBuffer(), { overwrite: true });
  await updateManifest(deps, run, { status: 'tasks-staged', tasks: out.count, hdfs: { tasks: tasksPath } });
  deps.log.info('staged the day\'s tasks', { date: run.date, tasks: out.count, otherDates, path: tasksPath });
  return { tasksPath, tasks: out.count, otherDates };
}

async function readSource(deps: BatchDeps, source: Exclude<TaskSourceSpec, { kind: 'mongo' }>): Promise<Buffer> {
  try {
    return source.kind === 'hdfs' ? await deps.hdfs.open(source.path) : await readFile(source.path);
  } catch (err) {
    // A missing file will not appear by retrying.
    throw ApplicationFailure.nonRetryable(
      `cannot read the tasks file ${source.kind}:${source.path} (${(err as Error).message}); give an existing JSON-lines file of PredictionTask`,
      'TaskSourceUnreadable',
    );
  }
}

/** The FlightDate of a task line, read without parsing the whole line; undefined when there is none to read. */
function dateOfLine(text: string): string | undefined {
  const m = /"FlightDate"\s*:\s*"(\d{4}-\d{2}-\d{2})"/.exec(text);
  return m?.[1];
}
