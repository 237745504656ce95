/**
 * The DAG's first task: the day's tasks → `<BATCH_HDFS_DIR>/<date>/tasks/part-NNNNN.jsonl`, one part per
 * chunk of BATCH_CHUNK_SIZE tasks (the seed's prediction_tasks_daily.json/<date>). Tasks come from
 * MongoDB `prediction_tasks` (FlightDate = the date), or from a JSON-lines file on HDFS or on the disk
 * of the worker that stages; a file's lines of other dates are left out, so one file can feed a whole
 * backfill. Lines are copied as they are: a line that is not a task still reaches scoring, which
 * rejects it with the reason. One part is in memory at a time.
 */
import { access } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { batchPartPath, batchPartsDir } from '../../common/batch-storage';
import type { TaskSourceSpec } from '../../common/contracts/batch';
import { JsonLinesWriter } from './json-lines';
import { batchCollections, type BatchDeps, type BatchRunRef } from './deps';
import { fileLines, hdfsLines } from './line-sources';
import { updateManifest } from './manifest';

export interface StageTasksResult {
  tasksDir: string;
  tasks: number;
  /** Part files written: the chunks the date is scored in. */
  chunks: number;
  /** Tasks per part (the last may hold fewer). */
  chunkSize: number;
  /** Lines of the source file that belong to other dates. */
  otherDates: number;
}

export async function stageDailyTasks(deps: BatchDeps, run: BatchRunRef & { source: TaskSourceSpec }): Promise<StageTasksResult> {
  const ctx = Context.current();
  const tasksDir = batchPartsDir(deps.hdfsDir, run.date, 'tasks');
  const { chunkSize } = deps;
  if (run.source.kind === 'hdfs' && run.source.path.startsWith(`${tasksDir}/`)) {
    throw ApplicationFailure.nonRetryable(
      `the source ${run.source.path} is inside the date's own staging folder ${tasksDir}, which staging rewrites; copy it elsewhere first`,
      'TaskSourceUnreadable',
    );
  }
  const lines = await openSource(deps, run.source, run.date);
  // Parts of an earlier run of the date go first: it may have had more chunks.
  await deps.hdfs.delete(tasksDir, { recursive: true });

  let part = new JsonLinesWriter();
  let chunks = 0;
  let tasks = 0;
  let otherDates = 0;
  const flush = async (): Promise<void> => {
    if (part.count === 0) return;
    await deps.hdfs.create(batchPartPath(deps.hdfsDir, run.date, 'tasks', chunks), part.toBuffer(), { overwrite: true });
    chunks += 1;
    part = new JsonLinesWriter();
    ctx.heartbeat({ stage: 'stage-tasks', tasks, chunks, otherDates });
  };
  for await (const text of lines) {
    const lineDate = dateOfLine(text);
    if (run.source.kind !== 'mongo' && lineDate !== undefined && lineDate !== run.date) {
      otherDates++;
      continue;
    }
    part.pushLine(text);
    tasks++;
    if (part.count >= chunkSize) await flush();
  }
  await flush();
  await updateManifest(deps, run, { status: 'tasks-staged', tasks, chunks, hdfs: { tasks: tasksDir } });
  deps.log.info("staged the day's tasks", { date: run.date, tasks, chunks, otherDates, path: tasksDir });
  return { tasksDir, tasks, chunks, chunkSize, otherDates };
}

/** The source's lines; a source that cannot be read fails at once (retrying will not make it appear). */
async function openSource(deps: BatchDeps, source: TaskSourceSpec, date: string): Promise<AsyncIterable<string>> {
  if (source.kind === 'mongo') {
    const cursor = deps.db.collection(batchCollections(deps).tasks).find({ FlightDate: date }, { projection: { _id: 0 }, batchSize: 10_000 });
    return (async function* () {
      for await (const task of cursor) yield JSON.stringify(task);
    })();
  }
  const readable = source.kind === 'hdfs' ? await deps.hdfs.exists(source.path) : await access(source.path).then(() => true, () => false);
  if (!readable) {
    throw ApplicationFailure.nonRetryable(
      `cannot read the tasks file ${source.kind}:${source.path} (no such file${source.kind === 'file' ? ' on the worker that stages: with several batch workers use hdfs:' : ''}); give an existing JSON-lines file of PredictionTask`,
      'TaskSourceUnreadable',
    );
  }
  return source.kind === 'hdfs' ? hdfsLines(deps.hdfs, source.path) : fileLines(source.path);
}

/** The FlightDate of a task line, read without parsing the whole line; undefined when there is none to read. */
function dateOfLine(text: string): string | undefined {
  const m = /"FlightDate"\s*:\s*"(\d{4}-\d{2}-\d{2})"/.exec(text);
  return m?.[1];
}
