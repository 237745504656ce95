import { Context } from '@temporalio/activity';
import type { Logger } from '../common/logger';

/** The ids every line of an activity carries: which workflow run asked for it, which activity, which attempt. */
export interface ActivityLogFields {
  /** Unset for an activity that no workflow started. */
  workflowId?: string;
  runId?: string;
  activityType: string;
  attempt: number;
}

/** The running activity's ids, or undefined outside an activity (a unit test calling the function itself). */
export function activityLogFields(): ActivityLogFields | undefined {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return undefined;
  }
  const run = info.workflowExecution;
  return { ...(run ? { workflowId: run.workflowId, runId: run.runId } : {}), activityType: info.activityType, attempt: info.attempt };
}

/** `log` with the running activity's workflowId, runId, activityType and attempt on every line. */
export function activityLogger(log: Logger): Logger {
  const fields = activityLogFields();
  return fields ? log.with({ ...fields }) : log;
}

/**
 * The deps of an activity factory with their `log` bound to the running activity (activityLogger):
 * call at the start of each activity, so that everything it passes `deps` to logs with its ids.
 * Copied property by property, not spread: a getter of `deps` (the scoring worker's MongoDB client,
 * which another consumer may renew meanwhile) stays a getter.
 */
export function withActivityLog<D extends { log: Logger }>(deps: D): D {
  const copy = Object.create(Object.getPrototypeOf(deps) as object | null, Object.getOwnPropertyDescriptors(deps)) as D;
  Object.defineProperty(copy, 'log', { value: activityLogger(deps.log), enumerable: true, writable: true, configurable: true });
  return copy;
}
