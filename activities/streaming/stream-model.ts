import type { Context } from '@temporalio/activity';
import type { FlightDelayModel } from '../../models/flight-delay-model';
import type { ModelStore } from '../../models/model-store';
import type { StreamControl } from '../../workflows/stream-messages';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Loads the model the workflow wants, waiting (and heartbeating) while there is no champion yet. */
export async function waitForModel(
  deps: { modelStore: ModelStore; log: { warn(message: string): void } },
  control: StreamControl,
  ctx: Context,
): Promise<{ version: string; model: FlightDelayModel }> {
  let warned = false;
  for (;;) {
    try {
      return deps.modelStore.loadWanted(control);
    } catch (err) {
      if (!warned) deps.log.warn(`${(err as Error).message}; waiting for one`);
      warned = true;
      ctx.heartbeat({ waitingForModel: true });
      await Promise.race([sleep(2000), ctx.cancelled]);
    }
  }
}
