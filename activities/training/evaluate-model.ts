import { FeaturePipeline } from '../../models/features/pipeline';
import { loadEstimator } from '../../models/estimator';
import type { Evaluation } from '../../models/metrics';
import { buildModel } from '../../models/training-steps';
import type { FeatureProfile } from '../../models/feature-profile';
import type { EvaluationSummary, PreparedFeatures, TrainResult } from './types';
import { files, type WorkFolder } from './work-folder';

export interface StoredMetrics {
  evaluation: Evaluation;
  importances: { feature: string; importance: number }[];
}

/**
 * Scores the held-out rows (never the training rows, as the seed did) and writes the model bundle
 * and the metrics beside them.
 */
export async function evaluateModel(folder: WorkFolder, input: { trained: TrainResult }): Promise<EvaluationSummary> {
  const prepared = await folder.readJson<PreparedFeatures>(files.prepared);
  const pipeline = FeaturePipeline.load(await folder.readJson(files.pipeline));
  const saved = await folder.readJson<{ estimator: unknown; model: unknown }>(files.estimator);
  const estimator = loadEstimator(saved.estimator, saved.model);
  const heldOut = { xTest: await folder.readFloat64(files.testX), yTest: await folder.readUint8(files.testY), yTrain: await folder.readUint8(files.trainY) };
  const { evaluation, model } = buildModel(pipeline, estimator, heldOut, {
    dataset: prepared.dataset,
    datasetHash: prepared.datasetHash,
    trainRows: prepared.trainRows,
    testRows: prepared.testRows,
    trainingSeconds: input.trained.trainingSeconds,
    // A folder prepared before profiles were kept (a run that spans the deploy) has none: the model keeps none.
    featureProfile: await folder.readJson<FeatureProfile>(files.featureProfile).catch(() => undefined),
  });
  await folder.writeJson(files.model, model);
  await folder.writeJson(files.metrics, { evaluation, importances: model.featureImportances() } satisfies StoredMetrics);
  return {
    accuracy: evaluation.accuracy,
    weightedPrecision: evaluation.weightedPrecision,
    weightedRecall: evaluation.weightedRecall,
    weightedF1: evaluation.weightedF1,
    logLoss: evaluation.logLoss,
    baselineAccuracy: evaluation.baselineAccuracy,
    testRows: evaluation.rows,
  };
}
