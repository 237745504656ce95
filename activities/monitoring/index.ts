import type { MonitorInput } from '../../common/contracts/monitoring';
import { withActivityLog } from '../activity-log';
import { monitorOutcomes, type MonitorDeps } from './monitor-outcomes';
import { recordRetraining, reviewEvidence, type ReviewDeps } from './review-evidence';

/** The monitoring workflow's activities, bound to their clients. */
export function createMonitoringActivities(deps: MonitorDeps & Omit<ReviewDeps, 'collections'>) {
  const review: ReviewDeps = { ...deps, collections: { monitoring: deps.collections?.monitoring, events: deps.collections?.events } };
  return {
    monitorOutcomes: (input: MonitorInput) => monitorOutcomes(withActivityLog(deps), input),
    reviewEvidence: (input: { at: string }) => reviewEvidence(withActivityLog(review), input),
    recordRetraining: (input: { eventId: string; runId?: string; alreadyRunning?: boolean }) => recordRetraining(withActivityLog(review), input),
  };
}

export type MonitoringActivities = ReturnType<typeof createMonitoringActivities>;
export type { MonitorDeps, ReviewDeps };
