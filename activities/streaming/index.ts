import type { ConsumerInput } from '../../common/contracts/streaming';
import { withActivityLog } from '../activity-log';
import { consumeAndScore, type StreamDeps } from './consume-and-score';

/** The streaming workflow's activities, bound to their clients. */
export function createStreamingActivities(deps: StreamDeps) {
  return {
    consumeAndScore: (input: ConsumerInput) => consumeAndScore(withActivityLog(deps), input),
  };
}

export type StreamingActivities = ReturnType<typeof createStreamingActivities>;
export type { StreamDeps };
