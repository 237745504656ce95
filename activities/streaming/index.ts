import { consumeAndScore, type StreamDeps } from './consume-and-score';

/** The streaming workflow's activities, bound to their clients. */
export function createStreamingActivities(deps: StreamDeps) {
  return {
    consumeAndScore: () => consumeAndScore(deps),
  };
}

export type StreamingActivities = ReturnType<typeof createStreamingActivities>;
export type { StreamDeps };
