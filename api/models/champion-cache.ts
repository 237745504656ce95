import type { ModelRegistry } from '../../common/model-registry';
import type { FlightDelayModel } from '../../models/flight-delay-model';
import type { StoredModelMeta } from '../../models/model-store';

export interface Champion {
  version: string;
  promotedAt: string;
  meta: StoredModelMeta;
  model: FlightDelayModel;
}

/**
 * The champion as the API serves it (its metrics, its confusion matrix): the registry's champion alias,
 * looked at every `refreshMs` and at once after a promotion through the API, its model loaded once per
 * version. `get` answers from memory.
 */
export class ChampionCache {
  private cached: Champion | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly registry: ModelRegistry,
    private readonly refreshMs = 10_000,
  ) {}

  /** Asks the registry now; a failure keeps the champion known so far. */
  async refresh(): Promise<Champion | undefined> {
    const version = await this.registry.championVersion();
    if (version === undefined) return (this.cached = undefined);
    if (this.cached?.version !== version) {
      // The version just read: asking the registry for the champion again would be a second round trip.
      const { model } = await this.registry.load(version);
      if (this.registry.cache.champion()?.version !== version) this.registry.cache.promote(version);
      const meta = this.registry.cache.meta(version);
      this.cached = { version, promotedAt: this.registry.cache.champion()?.promotedAt ?? meta.savedAt, meta, model };
    }
    return this.cached;
  }

  start(): void {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get(): Champion | undefined {
    return this.cached;
  }
}
