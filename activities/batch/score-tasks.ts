/**
 * The DAG's scoring task: the date's tasks.jsonl → the champion model (or the version asked for) →
 * results.jsonl, results.parquet and rejects.jsonl in the date's HDFS folder, then _SUCCESS with the
 * counts. Tasks are parsed by the stream's rules and scored by the stream's code
 * (common/prediction/score-requests.ts), so a task and a Kafka request with the same fields get the same answer.
 * _SUCCESS is removed first: a folder without it is being rewritten, or was left by a run that failed.
 */
import { Context } from '@temporalio/activity';
import { batchResult } from '../../common/prediction/result';
import { ParquetColumnBuffer } from '../../common/parquet-table';
import { scoreRequests } from '../../common/prediction/score-requests';
import { batchFilePath } from '../../common/batch-storage';
import { JsonLinesWriter, jsonLines } from './json-lines';
import type { BatchDeps, BatchRunRef } from './deps';
import { updateManifest } from './manifest';
import { batchResultColumns } from '../../common/prediction/parquet-schema';
import { parseTaskLine } from './task-lines';

export interface ScoreTasksInput extends BatchRunRef {
  tasksPath: string;
  /** A registered model version; default: the champion. */
  modelVersion?: string;
}

export interface ScoreTasksResult {
  resultsPath: string;
  parquetPath: string | null;
  rejectsPath: string;
  scored: number;
  rejected: number;
  modelVersion: string;
  /** Results per class label. */
  classCounts: Record<string, number>;
}

const chunkSize = 20_000;

export async function scoreDailyTasks(deps: BatchDeps, input: ScoreTasksInput): Promise<ScoreTasksResult> {
  const ctx = Context.current();
  const { date } = input;
  const path = (file: Parameters<typeof batchFilePath>[2]) => batchFilePath(deps.hdfsDir, date, file);
  const { version, model } = await deps.models.loadWanted(input);
  const distances = await deps.distances();
  await deps.hdfs.delete(path('success'));

  const tasks = await deps.hdfs.open(input.tasksPath);
  const results = new JsonLinesWriter();
  const rejects = new JsonLinesWriter();
  const parquet = new ParquetColumnBuffer(batchResultColumns);
  const classCounts: Record<string, number> = Object.fromEntries(model.labels.map((l) => [l, 0]));
  const scoredAt = new Date().toISOString();

  let chunk: ReturnType<typeof parseTaskLine>[] = [];
  const scoreChunk = () => {
    const { scored, rejected } = scoreRequests(chunk, model, distances);
    for (const s of scored) {
      const result = batchResult(s, version, scoredAt);
      results.push(result);
      parquet.add(result);
      classCounts[result.PredictionLabel] = (classCounts[result.PredictionLabel] ?? 0) + 1;
    }
    for (const r of rejected) rejects.push({ line: r.source.line, task: r.source.task, reason: r.reason, ...(r.field ? { field: r.field } : {}) });
    chunk = [];
    ctx.heartbeat({ stage: 'score', scored: results.count, rejected: rejects.count });
  };
  for (const { line, text } of jsonLines(tasks)) {
    chunk.push(parseTaskLine(text, line, date));
    if (chunk.length === chunkSize) scoreChunk();
  }
  scoreChunk();

  await deps.hdfs.create(path('results'), results.toBuffer(), { overwrite: true });
  await deps.hdfs.create(path('rejects'), rejects.toBuffer(), { overwrite: true });
  let parquetPath: string | null = null;
  if (parquet.rows > 0) {
    ctx.heartbeat({ stage: 'parquet', rows: parquet.rows });
    const bytes = await parquet.toParquet({
      createdBy: 'flight-delay-temporal batch prediction',
      metadata: { 'flight-delay.record': 'BatchPredictionResult; Probabilities as Prob0..Prob3', 'flight-delay.date': date },
    });
    parquetPath = path('parquet');
    await deps.hdfs.create(parquetPath, bytes, { overwrite: true });
  } else {
    await deps.hdfs.delete(path('parquet'));
  }
  const counts = { date, tasks: results.count + rejects.count, scored: results.count, rejected: rejects.count, modelVersion: version, classCounts };
  await deps.hdfs.create(path('success'), `${JSON.stringify({ ...counts, workflowId: input.workflowId, runId: input.runId, scoredAt })}\n`, { overwrite: true });
  await updateManifest(deps, input, {
    status: 'scored',
    scored: results.count,
    rejected: rejects.count,
    modelVersion: version,
    classCounts,
    hdfs: { results: path('results'), rejects: path('rejects'), ...(parquetPath ? { parquet: parquetPath } : {}) },
  });
  deps.log.info('scored the day\'s tasks', counts);
  return { resultsPath: path('results'), parquetPath, rejectsPath: path('rejects'), scored: results.count, rejected: rejects.count, modelVersion: version, classCounts };
}
