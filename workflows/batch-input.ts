/**
 * Inputs of the batch workflows and the date arithmetic they need. Pure and deterministic: the
 * workflows, the CLI and the API all use it.
 */
import type { TaskSourceSpec } from '../activities/batch/stage-tasks';
import { parseFlightDate } from '../models/calendar';

/** What a user passes to predictFlightDelaysForDate. */
export interface BatchPredictionInput {
  /** The date whose tasks are scored, "YYYY-MM-DD". */
  date: string;
  /** Where the tasks are: "mongo" (default: prediction_tasks), "hdfs:/path/file.jsonl" or "file:/path/on/the/worker.jsonl". */
  source?: string;
  /** A model version of the model store; default: the champion. */
  modelVersion?: string;
}

export interface BatchPredictionResult {
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
  /** Workflow time spent in each step. */
  seconds: { stage: number; score: number; load: number; total: number };
}

/** What the daily schedule passes to predictFlightDelaysDaily. */
export interface DailyBatchInput {
  /** The schedule's time zone: the date is the scheduled day there. */
  timezone: string;
  /** Added to that day: 0 predicts the day of the run, -1 the day before. */
  offsetDays: number;
  source?: string;
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
