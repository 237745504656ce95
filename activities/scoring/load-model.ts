import type { FlightDelayModel } from '../../models/flight-delay-model';
import type { ModelStore } from '../../models/model-store';

/** The version asked for, else the champion, loaded from the local model store; throws saying what to do when there is none. */
export function loadModel(store: ModelStore, wanted: { modelVersion?: string | null }): { version: string; model: FlightDelayModel } {
  const version = wanted.modelVersion ?? store.champion()?.version;
  if (!version) throw new Error(`no champion in the model store ${store.dir}: train one (npm run train)`);
  return { version, model: store.load(version) };
}
