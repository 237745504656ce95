import type { MonitorInput } from '../../common/contracts/monitoring';
import { withActivityLog } from '../activity-log';
import { monitorOutcomes, type MonitorDeps } from './monitor-outcomes';

/** The monitoring workflow's activities, bound to their clients. */
export function createMonitoringActivities(deps: MonitorDeps) {
  return {
    monitorOutcomes: (input: MonitorInput) => monitorOutcomes(withActivityLog(deps), input),
  };
}

export type MonitoringActivities = ReturnType<typeof createMonitoringActivities>;
export type { MonitorDeps };
