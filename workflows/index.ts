/** Every workflow the workers register (Temporal bundles this file and what it imports). */
export { trainFlightDelayModel } from './training';
export { streamFlightDelayPredictions } from './streaming';
export { predictFlightDelaysForDate, predictFlightDelaysDaily } from './batch';
export { archiveRealtimeResults } from './archiving';
