/**
 * The contract of the batch workflows: `predictFlightDelaysForDate` (one date, under its own workflow id)
 * and `predictFlightDelaysDaily` (what the schedule starts). Their inputs and the inputs' validation,
 * results, status query, the recipe of a date's workflow id, the date arithmetic they need, and the
 * helper that starts a date's run or joins the one in progress. Pure and deterministic but for that
 * helper (which takes a client): the workflows, the activities, the CLI, the API and the tests import it.
 */
import { defineQuery } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { parseFlightDate } from '../../models/calendar';
import { taskQueues, workflowTypes } from '../names';

/** Where a date's tasks come from: "mongo" (the default), "hdfs:/path/tasks.jsonl" or "file:/path/tasks.jsonl". */
export type TaskSourceSpec = { kind: 'mongo' } | { kind: 'hdfs'; path: string } | { kind: 'file'; path: string };

/** What a user passes to predictFlightDelaysForDate. */
export interface BatchPredictionInput {
  /** The date whose tasks are scored, "YYYY-MM-DD". */
  date: string;
  /** Where the tasks are: "mongo" (default: prediction_tasks), "hdfs:/path/file.jsonl" or "file:/path/on/the/worker.jsonl". */
  source?: string;
  /** A registered model version; default: the champion. */
  modelVersion?: string;
}

/** What predictFlightDelaysForDate returns: the counts and where the date's files are. */
export interface BatchDateResult {
  date: string;
  tasks: number;
  scored: number;
  rejected: number;
  loaded: number;
  /** Results of an earlier run of the date that the load replaced. */
  cleared: number;
  modelVersion: string;
  hdfsDir: string;
  classCounts: Record<string, number>;
  /** Chunks of BATCH_CHUNK_SIZE tasks the date was scored in. */
  chunks: number;
  /** Chunks each batch worker ran (by its Temporal identity, `pid@host`). */
  chunksByWorker: Record<string, number>;
  /** Workflow time spent in each step: staging, preparing (clearing the date), the chunks (scored, written, loaded, side by side), finishing. */
  seconds: { stage: number; prepare: number; chunks: number; finish: number; total: number };
}

/** What the daily schedule passes to predictFlightDelaysDaily. */
export interface DailyBatchInput {
  /** The schedule's time zone: the date is the scheduled day there. */
  timezone: string;
  /** Added to that day: 0 predicts the day of the run, -1 the day before. */
  offsetDays: number;
  source?: string;
}

/** Where a batch run is: for the CLI, the API and the Temporal UI's query tab. */
export interface BatchStatus {
  date: string;
  stage: 'staging tasks' | 'clearing the date' | 'scoring chunks' | 'finishing' | 'done';
  tasks?: number;
  chunks?: number;
  chunksDone?: number;
  /** Chunks done by each batch worker so far (its Temporal identity, `pid@host`). */
  chunksByWorker?: Record<string, number>;
  scored?: number;
  rejected?: number;
  loaded?: number;
}
export const batchStatusQuery = defineQuery<BatchStatus>('batchStatus');

/** The workflows' signatures, which the implementations satisfy and the helpers start by name. */
export type BatchPredictionWorkflow = (input: BatchPredictionInput) => Promise<BatchDateResult>;
export type DailyBatchWorkflow = (input: DailyBatchInput) => Promise<BatchDateResult | { date: string; alreadyRunning: true }>;

/** One workflow id per date: a rerun or a second backfill of the date meets the first instead of racing it. */
export const batchWorkflowId = (date: string): string => `flight-delay-batch-${date}`;

/** A date's run, started or joined. */
export interface BatchRun {
  date: string;
  workflowId: string;
  runId: string;
  /** false: a run of this date was in progress already, and this is it. */
  started: boolean;
}

/**
 * Starts the batch prediction of each date under the date's own id, so that a backfill that meets a run
 * of the same date (scheduled, or a second backfill) joins it instead of racing it. Used by
 * `npm run batch` and POST /api/batch-predictions.
 */
export async function startBatchRuns(
  client: Client,
  dates: readonly string[],
  options: Omit<BatchPredictionInput, 'date'> & { taskQueue?: string } = {},
): Promise<BatchRun[]> {
  const { taskQueue = taskQueues.batch, ...rest } = options;
  const runs: BatchRun[] = [];
  for (const date of dates) {
    const workflowId = batchWorkflowId(date);
    const input: BatchPredictionInput = { date, ...rest };
    try {
      const handle = await client.workflow.start<BatchPredictionWorkflow>(workflowTypes.batchPrediction, { taskQueue, workflowId, args: [input] });
      runs.push({ date, workflowId, runId: handle.firstExecutionRunId, started: true });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const description = await client.workflow.getHandle(workflowId).describe();
      runs.push({ date, workflowId, runId: description.runId, started: false });
    }
  }
  return runs;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date "YYYY-MM-DD" (the calendar's own check), or an error naming `field`. */
export function checkDate(value: unknown, field: string): string {
  if (typeof value === 'string' && datePattern.test(value)) {
    try {
      parseFlightDate(value, field);
      return value;
    } catch {
      // Not a day of the calendar: said below, in the batch's words.
    }
  }
  throw new Error(`${field}: expected a calendar date "YYYY-MM-DD", got ${JSON.stringify(value)}`);
}

/** The task source of an input, or an error saying how to write one. */
export function parseTaskSource(source: string | undefined): TaskSourceSpec {
  if (source === undefined || source === '' || source === 'mongo') return { kind: 'mongo' };
  const m = /^(hdfs|file):(\/.*)$/.exec(source);
  if (!m) throw new Error(`source: expected "mongo", "hdfs:/absolute/path.jsonl" or "file:/absolute/path.jsonl", got ${JSON.stringify(source)}`);
  return { kind: m[1] as 'hdfs' | 'file', path: m[2]! };
}

/** Adds days to a date. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Every date from `from` to `to`, both included; at most `max` of them. */
export function datesBetween(from: string, to: string, max = 366): string[] {
  checkDate(from, 'from');
  checkDate(to, 'to');
  if (to < from) throw new Error(`to: ${to} is before from ${from}; expected a range forwards in time`);
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    dates.push(d);
    if (dates.length > max) throw new Error(`from/to: ${from}..${to} is more than ${max} dates; backfill it in parts`);
  }
  return dates;
}

/** The calendar date of an instant in a time zone, plus offsetDays. */
export function dateInZone(instant: Date, timezone: string, offsetDays = 0): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return addDays(`${get('year')}-${get('month')}-${get('day')}`, offsetDays);
}
