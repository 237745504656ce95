/**
 * One chunk of a date: its part of the tasks → the model the date is scored with → its parts of
 * results (JSON lines and Parquet) and rejects in the date's HDFS folder, and its results in MongoDB
 * `prediction_results`. Tasks are parsed by the stream's rules and scored by the stream's code
 * (common/prediction/score-requests.ts), so a task and a Kafka request with the same fields get the same
 * answer. Any batch worker may run any chunk; a retry rewrites the chunk's parts (same names) and its
 * documents (same `_id`s), so it never doubles anything.
 */
import { Context } from '@temporalio/activity';
import { batchResult, batchResultDocument, batchResultId, type BatchResultDocument } from '../../common/prediction/result';
import { ParquetColumnBuffer } from '../../common/parquet-table';
import { scoreBeside, scoreRequests, type ShadowModel } from '../../common/prediction/score-requests';
import { batchPartPath } from '../../common/batch-storage';
import { batchResultColumns } from '../../common/prediction/parquet-schema';
import { JsonLinesWriter, jsonLines } from './json-lines';
import { batchCollections, batchOutcomeCollections, type BatchDeps, type BatchRunRef } from './deps';
import { insertResults } from './insert-results';
import { parseTaskLine } from './task-lines';
import { filePrediction, type FlightPrediction } from '../../common/outcomes/flight-prediction';
import { outcomeJoin } from '../outcomes/outcome-join';

export interface ScoreChunkInput extends BatchRunRef {
  chunk: number;
  /** Lines of the day's tasks before this chunk: rejects are numbered in the day's tasks. */
  lineOffset: number;
  modelVersion: string;
  /** A shadow challenger to score beside the model: its predictions are filed for the monitor, never among the results. */
  challengerVersion?: string;
  /** The same for every chunk of the date. */
  scoredAt: string;
}

export interface ScoreChunkResult {
  chunk: number;
  scored: number;
  rejected: number;
  loaded: number;
  classCounts: Record<string, number>;
  /** The worker process that ran it (`pid@host`). */
  worker: string;
}

/** Tasks scored at a time: the heartbeat's step. */
const scoreStep = 20_000;

export async function scoreChunk(deps: BatchDeps, input: ScoreChunkInput): Promise<ScoreChunkResult> {
  const ctx = Context.current();
  const { date, chunk } = input;
  const part = (kind: 'tasks' | 'results' | 'parquet' | 'rejects') => batchPartPath(deps.hdfsDir, date, kind, chunk);
  const { model } = await deps.models.load(input.modelVersion);
  const distances = await deps.distances();
  const lookups = model.pipeline.usesLookups && deps.lookups ? await deps.lookups() : undefined;
  const shadow = input.challengerVersion ? await shadowModel(deps, input.challengerVersion) : undefined;
  const tasks = await deps.hdfs.open(part('tasks'));

  const results = new JsonLinesWriter();
  const rejects = new JsonLinesWriter();
  const parquet = new ParquetColumnBuffer(batchResultColumns);
  const docs: BatchResultDocument[] = [];
  const filed: FlightPrediction[] = [];
  const classCounts: Record<string, number> = Object.fromEntries(model.labels.map((l) => [l, 0]));
  let pending: ReturnType<typeof parseTaskLine>[] = [];
  const scorePending = (): void => {
    const { scored, rejected } = scoreRequests(pending, model, distances, lookups);
    const beside = shadow ? scoreBeside(scored, shadow) : undefined;
    if (beside?.failed !== undefined) ctx.log.warn('the shadow challenger cannot score; the results are the champion\'s as always', { version: shadow?.version, error: beside.failed });
    for (const [i, s] of scored.entries()) {
      const result = batchResult(s, input.modelVersion, input.scoredAt);
      results.push(result);
      parquet.add(result);
      docs.push(batchResultDocument(result));
      const filing = { source: 'batch', predictionId: batchResultId(date, result.TaskId), scoredAt: input.scoredAt } as const;
      filed.push(...filePrediction(s.request, s.prediction, { ...filing, modelVersion: input.modelVersion, role: 'champion' }));
      const challenger = beside?.predictions[i];
      if (challenger) filed.push(...filePrediction(s.request, challenger, { ...filing, modelVersion: shadow!.version, role: 'challenger' }));
      classCounts[result.PredictionLabel] = (classCounts[result.PredictionLabel] ?? 0) + 1;
    }
    for (const r of rejected) rejects.push({ line: r.source.line, task: r.source.task, reason: r.reason, ...(r.field ? { field: r.field } : {}) });
    pending = [];
    ctx.heartbeat({ stage: 'score', chunk, scored: results.count, rejected: rejects.count });
  };
  for (const { line, text } of jsonLines(tasks)) {
    pending.push(parseTaskLine(text, input.lineOffset + line, date));
    if (pending.length === scoreStep) scorePending();
  }
  scorePending();

  await deps.hdfs.create(part('results'), results.toBuffer(), { overwrite: true });
  await deps.hdfs.create(part('rejects'), rejects.toBuffer(), { overwrite: true });
  if (parquet.rows > 0) {
    const bytes = await parquet.toParquet({
      createdBy: 'flight-delay-temporal batch prediction',
      metadata: { 'flight-delay.record': 'BatchPredictionResult; Probabilities as Prob0..Prob3', 'flight-delay.date': date, 'flight-delay.chunk': String(chunk) },
    });
    await deps.hdfs.create(part('parquet'), bytes, { overwrite: true });
  }
  const collection = deps.db.collection<BatchResultDocument>(batchCollections(deps).results);
  // One insert at a time: a worker runs chunks side by side, and an embedded server's one writer gains nothing from more.
  const loaded = await insertResults(collection, docs, (n) => ctx.heartbeat({ stage: 'load', chunk, loaded: n }), 1);
  // Filed under their flights, and joined to the actuals already in (a retried chunk files and joins again: stored once).
  ctx.heartbeat({ stage: 'outcomes', chunk, filed: filed.length });
  await outcomeJoin(deps.db, batchOutcomeCollections(deps)).recordPredictions(filed);
  return { chunk, scored: results.count, rejected: rejects.count, loaded, classCounts, worker: deps.workerIdentity };
}

/** The challenger's model, with the lookup tables when its feature set reads them. */
async function shadowModel(deps: BatchDeps, version: string): Promise<ShadowModel> {
  const { model } = await deps.models.load(version);
  const lookups = model.pipeline.usesLookups && deps.lookups ? await deps.lookups() : undefined;
  return { version, model, ...(lookups ? { lookups } : {}) };
}
