/** Every workflow the workers register (Temporal bundles this file and what it imports). */
export { trainFlightDelayModel } from './training';
export { tuneFlightDelayModel } from './tuning';
export { streamFlightDelayPredictions } from './streaming';
export { predictFlightDelaysForDate, predictFlightDelaysDaily } from './batch';
export { archiveRealtimeResults } from './archiving';
export { joinFlightActuals } from './actuals-join';
export { monitorFlightDelayModels } from './monitoring';
