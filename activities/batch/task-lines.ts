/**
 * A line of a tasks file → a request the scoring core takes, by the stream's own rules
 * (common/prediction/request.ts): a task is a prediction request whose id is its TaskId. Rejects name
 * the field, as the stream's dead letters do.
 */
import { parseRequestObject, shownValue, type ParseResult } from '../../common/prediction/request';

/** Where a task came from in the day's tasks file, and the task as read. */
export interface TaskSource {
  line: number;
  /** The parsed JSON object, or the raw text when the line is not JSON. */
  task: unknown;
  taskId: string;
}

const taskIdRule = 'a non-empty string of at most 100 characters';

/** Parses one tasks-file line of the batch for `date`: a task of another date is refused, naming FlightDate. */
export function parseTaskLine(text: string, line: number, date: string): { source: TaskSource; parsed: ParseResult } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { source: { line, task: text, taskId: '' }, parsed: { ok: false, reason: `malformed JSON: ${(err as Error).message}` } };
  }
  const task = json as Record<string, unknown>;
  const taskId = typeof task === 'object' && task !== null && !Array.isArray(task) ? task.TaskId : undefined;
  const source: TaskSource = { line, task: json, taskId: typeof taskId === 'string' ? taskId : '' };
  if (typeof taskId !== 'string' || taskId.trim() === '' || taskId.length > 100) {
    const got = taskId === undefined ? 'missing; expected' : `expected ${taskIdRule}, got ${shownValue(taskId)}`;
    return { source, parsed: { ok: false, field: 'TaskId', reason: `TaskId: ${taskId === undefined ? `${got} ${taskIdRule}` : got}` } };
  }
  const parsed = parseRequestObject({ ...task, UUID: taskId });
  if (parsed.ok && parsed.request.FlightDate !== date) {
    return { source, parsed: { ok: false, field: 'FlightDate', reason: `FlightDate: ${parsed.request.FlightDate} is not the batch's date ${date}` } };
  }
  return { source, parsed };
}
