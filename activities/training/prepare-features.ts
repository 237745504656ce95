import { Context } from '@temporalio/activity';
import { DataSetNotFoundError, loadFlights } from '../../data/load-flights';
import { prepareTrainingData } from '../../models/training-steps';
import { nonRetryable, nonRetryableTypes } from './failures';
import type { PreparedFeatures, PrepareInput, TrainingHeartbeat } from './types';
import { files, workFolder, writeJson, writeTyped } from './work-folder';

/**
 * The DAG's "extract features" task: loads the data set, splits it 80/20 (seeded), fits the feature
 * pipeline on the training rows and writes both feature matrices to the workflow's folder.
 */
export async function prepareFeatures(workDir: string, input: PrepareInput): Promise<PreparedFeatures> {
  const ctx = Context.current();
  const heartbeat = (d: TrainingHeartbeat): void => ctx.heartbeat(d);
  if (!(input.testFraction > 0 && input.testFraction < 1)) {
    throw nonRetryable(nonRetryableTypes.invalidInput, `testFraction must be between 0 and 1 (exclusive), got ${input.testFraction}`);
  }
  let data;
  try {
    data = await loadFlights(input.dataset, {
      limit: input.limit,
      onProgress: (p) => heartbeat({ stage: 'load', ...p }),
    });
  } catch (err) {
    if (err instanceof DataSetNotFoundError) throw nonRetryable(nonRetryableTypes.datasetNotFound, err.message, err);
    throw err;
  }
  if (data.records.length < 10) {
    throw nonRetryable(nonRetryableTypes.invalidInput, `data set ${input.dataset} has ${data.records.length} usable rows; training needs more`);
  }
  heartbeat({ stage: 'features' });
  const split = prepareTrainingData(data.records, data.columns, input);

  const dir = workFolder(workDir, input.workflowId);
  writeJson(dir, files.pipeline, split.pipeline);
  writeTyped(dir, files.trainX, split.xTrain);
  writeTyped(dir, files.trainY, split.yTrain);
  writeTyped(dir, files.testX, split.xTest);
  writeTyped(dir, files.testY, split.yTest);
  writeJson(dir, files.testRecords, split.testRecords);
  const prepared: PreparedFeatures = {
    dir,
    dataset: data.name,
    datasetHash: data.contentHash,
    rowsRead: data.stats.rowsRead,
    rowsKept: data.stats.kept,
    rowsDropped: data.stats.dropped,
    rowsMalformed: data.stats.malformed,
    trainRows: split.trainRows,
    testRows: split.testRows,
    features: split.features,
  };
  writeJson(dir, files.prepared, prepared);
  return prepared;
}
