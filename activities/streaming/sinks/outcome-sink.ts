import { realtimeFlightPredictions } from '../../../common/outcomes/flight-prediction';
import type { OutcomeJoin } from '../../outcomes/outcome-join';
import type { ResultSink } from './sink';

/**
 * Files each realtime result that names its flight (FlightNum) under the flight, and joins those whose
 * actual arrival is in already (activities/outcomes/outcome-join.ts). Results without FlightNum are
 * scored and stored as always, but no actual can ever be matched to them.
 */
export function outcomeSink(join: OutcomeJoin): ResultSink {
  return {
    name: 'outcomes',
    async accept(results) {
      await join.recordPredictions(realtimeFlightPredictions(results));
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
