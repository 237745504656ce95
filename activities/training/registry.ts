import type { MlflowClient } from '../../common/clients/mlflow';
import type { Logger } from '../../common/logger';
import type { MlflowNames } from './mlflow-names';
import type { FlightRecord } from '../../models/flight';
import { FlightDelayModel } from '../../models/flight-delay-model';
import { delayLabels } from '../../models/features/pipeline';
import type { ModelStore } from '../../models/model-store';
import { evaluateForest } from '../../models/training-steps';
import type { StoredMetrics } from './evaluate-model';
import type { PromoteInput, PromoteResult, RegisterResult } from './types';
import { files, readJson } from './work-folder';

/**
 * Registers the run's model as a new version of `flight-delay-classifier` — or finds the version a
 * previous attempt registered for this run — and keeps a copy in the local model store.
 */
export async function registerModel(mlflow: MlflowClient, names: MlflowNames, store: ModelStore, input: { runId: string; dir: string }): Promise<RegisterResult> {
  const name = names.registeredModel;
  await mlflow.createRegisteredModel(name, { description: 'Arrival-delay class of a flight (4 classes), random forest on the seed features' });
  const [existing] = await mlflow.searchModelVersions(`name = '${name}' and run_id = '${input.runId}'`);
  const version = existing ?? (await mlflow.createModelVersion(name, await mlflow.artifactUri(input.runId, 'model'), input.runId));
  const { evaluation } = readJson<StoredMetrics>(input.dir, files.metrics);
  store.save(
    { version: version.version, runId: input.runId, accuracy: evaluation.accuracy, savedAt: new Date().toISOString() },
    readJson(input.dir, files.model),
  );
  return { version: version.version, reused: existing !== undefined };
}

/**
 * Moves the `champion` alias to this version when it beats the current champion on this run's held-out
 * flights (each model scoring them with its own pipeline), when there is no champion, or when forced.
 */
export async function promoteModel(mlflow: MlflowClient, names: MlflowNames, store: ModelStore, log: Logger, input: PromoteInput): Promise<PromoteResult> {
  const name = names.registeredModel;
  const alias = names.championAlias;
  const challengerAccuracy = readJson<StoredMetrics>(input.dir, files.metrics).evaluation.accuracy;
  const current = await mlflow.getModelVersionByAlias(name, alias);
  const result = (promoted: boolean, reason: string, previousChampion?: PromoteResult['previousChampion']): PromoteResult => ({
    promoted,
    reason,
    championVersion: promoted ? input.version : current?.version,
    challengerAccuracy,
    previousChampion,
  });

  if (current?.version === input.version) {
    store.promote(input.version);
    return result(true, 'already the champion (a retried promotion)');
  }
  if (input.policy === 'never') return result(false, 'promotion not asked for (promote: never)');

  let previous: PromoteResult['previousChampion'];
  if (current && input.policy === 'if-better') {
    const accuracy = await championAccuracy(mlflow, store, log, current.version, current.runId, input.dir);
    previous = { version: current.version, accuracy };
    if (!(challengerAccuracy > accuracy)) {
      return result(false, `champion v${current.version} scores ${accuracy.toFixed(4)} on the same held-out rows, this model ${challengerAccuracy.toFixed(4)}`, previous);
    }
  }
  await mlflow.setRegisteredModelAlias(name, alias, input.version);
  store.promote(input.version);
  await mlflow.setTag(input.runId, 'promoted', 'true');
  const reason = !current ? 'first champion' : input.policy === 'always' ? 'promotion forced (promote: always)' : 'beats the champion on the same held-out rows';
  return result(true, reason, previous);
}

/** The champion's accuracy on this run's held-out flights, scored with the champion's own pipeline. */
async function championAccuracy(
  mlflow: MlflowClient,
  store: ModelStore,
  log: Logger,
  version: string,
  runId: string | undefined,
  dir: string,
): Promise<number> {
  let champion: FlightDelayModel;
  if (store.has(version)) champion = store.load(version);
  else if (runId) champion = FlightDelayModel.load(JSON.parse((await mlflow.downloadArtifact(runId, 'model/model.json')).toString('utf8')));
  else throw new Error(`champion v${version} is neither in the model store nor tied to an MLflow run`);
  const test = readJson<FlightRecord[]>(dir, files.testRecords);
  try {
    const y = delayLabels(test);
    // Only the accuracy is compared, so the baseline may come from these labels (no training labels here).
    return evaluateForest(champion.forest, champion.pipeline.transform(test), y, y).accuracy;
  } catch (err) {
    // A champion built on other features (say, the rich set) may need fields these rows lack.
    log.warn(`champion v${version} cannot score this data set's held-out rows; treating its accuracy as 0`, { error: (err as Error).message });
    return 0;
  }
}
