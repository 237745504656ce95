import type { FlightPrediction } from '../../../common/outcomes/flight-prediction';
import type { OutcomeJoin } from '../../outcomes/outcome-join';
import type { ResultSink } from './sink';

/**
 * Files the predictions of each batch under their flights — the champion's of every request that names its
 * flight (FlightNum), and a shadow challenger's beside them — and joins those whose actual arrival is in
 * already (activities/outcomes/outcome-join.ts). Requests without FlightNum are scored and answered as
 * always, but no actual can ever be matched to them.
 */
export function outcomeSink(join: OutcomeJoin): ResultSink<FlightPrediction> {
  return {
    name: 'outcomes',
    async accept(filed) {
      await join.recordPredictions(filed);
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
