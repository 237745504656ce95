import type { ActualsJoinInput } from '../../common/contracts/actuals-join';
import { withActivityLog } from '../activity-log';
import { consumeActuals, type OutcomeDeps } from './consume-actuals';

/** The actuals' join activities, bound to their clients. */
export function createOutcomeActivities(deps: OutcomeDeps) {
  return {
    consumeActuals: (input: ActualsJoinInput) => consumeActuals(withActivityLog(deps), input),
  };
}

export type OutcomeActivities = ReturnType<typeof createOutcomeActivities>;
export type { OutcomeDeps };
export { outcomeCollections, outcomeJoin, type OutcomeCollections, type OutcomeJoin } from './outcome-join';
