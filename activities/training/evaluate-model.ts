import { FeaturePipeline } from '../../models/features/pipeline';
import { RandomForestClassifier } from '../../models/forest';
import type { Evaluation } from '../../models/metrics';
import { buildModel } from '../../models/training-steps';
import type { EvaluationSummary, PreparedFeatures, TrainResult } from './types';
import { files, readFloat64, readJson, readUint8, writeJson } from './work-folder';

export interface StoredMetrics {
  evaluation: Evaluation;
  importances: { feature: string; importance: number }[];
}

/**
 * Scores the held-out rows (never the training rows, as the seed did) and writes the model bundle
 * and the metrics beside them.
 */
export function evaluateModel(input: { dir: string; trained: TrainResult }): EvaluationSummary {
  const { dir } = input;
  const prepared = readJson<PreparedFeatures>(dir, files.prepared);
  const pipeline = FeaturePipeline.load(readJson(dir, files.pipeline));
  const forest = RandomForestClassifier.load(readJson(dir, files.forest));
  const heldOut = { xTest: readFloat64(dir, files.testX), yTest: readUint8(dir, files.testY), yTrain: readUint8(dir, files.trainY) };
  const { evaluation, model } = buildModel(pipeline, forest, heldOut, {
    dataset: prepared.dataset,
    datasetHash: prepared.datasetHash,
    trainRows: prepared.trainRows,
    testRows: prepared.testRows,
    trainingSeconds: input.trained.trainingSeconds,
  });
  writeJson(dir, files.model, model);
  writeJson(dir, files.metrics, { evaluation, importances: model.featureImportances() } satisfies StoredMetrics);
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
