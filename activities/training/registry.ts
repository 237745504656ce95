import type { MlflowClient } from '../../common/clients/mlflow';
import type { ModelRegistry } from '../../common/model-registry';
import type { Logger } from '../../common/logger';
import type { FlightRecord } from '../../models/flight';
import { trainingLookups } from '../../data/lookup-tables';
import { delayLabels } from '../../models/features/pipeline';
import { evaluateEstimator } from '../../models/training-steps';
import type { StoredMetrics } from './evaluate-model';
import type { LoggedModelRef } from './mlflow-logged-model';
import { WebHdfsError } from '../../common/clients/webhdfs-answers';
import type { PromoteInput, PromoteResult, RegisterResult } from './types';
import { files, type WorkFolder } from './work-folder';

/**
 * Registers the run's model as a new version of `flight-delay-classifier` — or finds the version a
 * previous attempt registered for this run — with the SHA-256 of its model.json (the artifact logResults
 * uploaded from the same file), which every worker checks its download against. The version is
 * registered from the run's MLflow logged model (its source and model id), which links the two.
 */
export async function registerModel(models: ModelRegistry, folder: WorkFolder, input: { runId: string }): Promise<RegisterResult> {
  const { evaluation } = await folder.readJson<StoredMetrics>(files.metrics);
  const text = await folder.readText(files.model);
  // A folder whose logResults ran before logged models were logged has none: register from the run.
  const logged = await folder.readJson<LoggedModelRef>(files.loggedModel).catch((err: unknown) => {
    if (err instanceof WebHdfsError && err.exception === 'FileNotFoundException') return undefined;
    throw err;
  });
  const estimator = (JSON.parse(text) as { estimator?: unknown }).estimator === 'BoostedTrees' ? 'boosted trees' : 'random forest';
  return models.register(
    input.runId,
    text,
    evaluation.accuracy,
    `Arrival-delay class of a flight (4 classes), ${estimator} on the flight's features`,
    logged && { modelId: logged.modelId, source: logged.artifactUri },
  );
}

/**
 * Moves the `champion` alias to this version when it beats the current champion on this run's held-out
 * flights (each model scoring them with its own pipeline), when there is no champion, or when forced.
 */
export async function promoteModel(mlflow: MlflowClient, models: ModelRegistry, folder: WorkFolder, log: Logger, input: PromoteInput): Promise<PromoteResult> {
  const challengerAccuracy = (await folder.readJson<StoredMetrics>(files.metrics)).evaluation.accuracy;
  const current = await models.registeredChampion();
  const result = (promoted: boolean, reason: string, previousChampion?: PromoteResult['previousChampion']): PromoteResult => ({
    promoted,
    reason,
    championVersion: promoted ? input.version : current?.version,
    challengerAccuracy,
    previousChampion,
  });

  if (current?.version === input.version) {
    await models.promote(input.version);
    await mlflow.setTag(input.runId, 'promoted', 'true');
    return result(true, 'already the champion (a retried promotion)');
  }
  if (input.policy === 'never') return result(false, 'promotion not asked for (promote: never)');

  let previous: PromoteResult['previousChampion'];
  if (current && input.policy === 'if-better') {
    const accuracy = await championAccuracy(models, folder, log, current.version);
    previous = { version: current.version, accuracy };
    if (!(challengerAccuracy > accuracy)) {
      return result(false, `champion v${current.version} scores ${accuracy.toFixed(4)} on the same held-out rows, this model ${challengerAccuracy.toFixed(4)}`, previous);
    }
  }
  await models.promote(input.version);
  await mlflow.setTag(input.runId, 'promoted', 'true');
  const reason = !current ? 'first champion' : input.policy === 'always' ? 'promotion forced (promote: always)' : 'beats the champion on the same held-out rows';
  return result(true, reason, previous);
}

/** The champion's accuracy on this run's held-out flights, scored with the champion's own pipeline. */
async function championAccuracy(models: ModelRegistry, folder: WorkFolder, log: Logger, version: string): Promise<number> {
  const champion = (await models.load(version)).model;
  const test = await folder.readJson<FlightRecord[]>(files.testRecords);
  try {
    const y = delayLabels(test);
    // Only the accuracy is compared, so the baseline may come from these labels (no training labels here).
    const lookups = champion.pipeline.usesLookups ? trainingLookups() : undefined;
    return evaluateEstimator(champion.estimator, champion.pipeline.transform(test, lookups), y, y).accuracy;
  } catch (err) {
    // A champion built on other features (say, the rich set) may need fields these rows lack.
    log.warn(`champion v${version} cannot score this data set's held-out rows; treating its accuracy as 0`, { error: (err as Error).message });
    return 0;
  }
}
