import type { FlightDelayModel } from '../../models/flight-delay-model';
import type { ModelStore, StoredModelMeta } from '../../models/model-store';

export interface Champion {
  version: string;
  promotedAt: string;
  meta: StoredModelMeta;
  model: FlightDelayModel;
}

/** The champion of the model store, loaded once per version (the pointer is read on every call). */
export class ChampionCache {
  private cached: Champion | undefined;

  constructor(readonly store: ModelStore) {}

  get(): Champion | undefined {
    const pointer = this.store.champion();
    if (!pointer) return undefined;
    if (this.cached?.version !== pointer.version) {
      this.cached = { version: pointer.version, promotedAt: pointer.promotedAt, meta: this.store.meta(pointer.version), model: this.store.load(pointer.version) };
    }
    return this.cached;
  }
}
