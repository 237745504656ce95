import { mongoNames, topics } from '../common/names';

/** The topics and collection the API uses; tests give their own so that runs never meet. */
export interface ApiNames {
  request: string;
  response: string;
  /** Actual arrivals POST /api/actuals publishes. */
  actuals: string;
  resultsCollection: string;
  distancesCollection: string;
}

export const defaultApiNames = (): ApiNames => ({
  request: topics.request,
  response: topics.response,
  actuals: topics.actuals,
  resultsCollection: mongoNames.realtimeResults,
  distancesCollection: mongoNames.distances,
});
