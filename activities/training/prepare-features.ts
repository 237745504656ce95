import { Context } from '@temporalio/activity';
import { DataSetNotFoundError, loadFlights } from '../../data/load-flights';
import { trainingLookups } from '../../data/lookup-tables';
import { usesLookups } from '../../models/features/flight-features';
import { prepareTrainingData } from '../../models/training-steps';
import { nonRetryable, nonRetryableTypes } from './failures';
import type { PreparedFeatures, PrepareInput, TrainingHeartbeat } from './types';
import { files, type WorkFolder } from './work-folder';

/**
 * The DAG's "extract features" task: loads the data set, splits it (80/20 seeded, or by a cut date), fits the feature
 * pipeline on the training rows and writes both feature matrices to the workflow's folder on HDFS.
 */
export async function prepareFeatures(folderOf: (workflowId: string) => WorkFolder, input: PrepareInput): Promise<PreparedFeatures> {
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
  if (input.from !== undefined || input.through !== undefined) {
    const { from = '', through = '9999-12-31' } = input;
    data = { ...data, records: data.records.filter((r) => r.FlightDate >= from && r.FlightDate <= through) };
  }
  if (data.records.length < 10) {
    throw nonRetryable(nonRetryableTypes.invalidInput, `data set ${input.dataset} has ${data.records.length} usable rows${input.from ? ` from ${input.from}` : ''}${input.through ? ` through ${input.through}` : ''}; training needs more`);
  }
  heartbeat({ stage: 'features' });
  let split;
  try {
    split = prepareTrainingData(data.records, data.columns, { ...input, ...(usesLookups(input.featureSet) ? { lookups: trainingLookups() } : {}) });
  } catch (err) {
    // A cut date outside the data (or one for a random split) fails the same way on every retry.
    if (err instanceof RangeError) throw nonRetryable(nonRetryableTypes.invalidInput, err.message, err);
    throw err;
  }

  heartbeat({ stage: 'write' });
  const folder = folderOf(input.workflowId);
  await folder.writeJson(files.pipeline, split.pipeline);
  await folder.writeTyped(files.trainX, split.xTrain);
  await folder.writeTyped(files.trainY, split.yTrain);
  await folder.writeTyped(files.testX, split.xTest);
  await folder.writeTyped(files.testY, split.yTest);
  await folder.writeJson(files.testRecords, split.testRecords);
  await folder.writeJson(files.featureProfile, split.featureProfile);
  const prepared: PreparedFeatures = {
    dir: folder.path,
    dataset: data.name,
    datasetHash: data.contentHash,
    rowsRead: data.stats.rowsRead,
    rowsKept: data.stats.kept,
    rowsDropped: data.stats.dropped,
    rowsMalformed: data.stats.malformed,
    trainRows: split.trainRows,
    testRows: split.testRows,
    features: split.features,
    testFraction: input.testFraction,
    splitSeed: input.splitSeed,
    split: split.split,
    cutDate: split.cutDate,
    trainDates: split.trainDates,
    testDates: split.testDates,
  };
  await folder.writeJson(files.prepared, prepared);
  return prepared;
}
