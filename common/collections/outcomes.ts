import type { Db } from 'mongodb';
import { mongoNames } from '../names';
import { eachNewOutcome, outcomeChunkIdsOf, type Outcome, type OutcomeChunk } from '../outcomes/outcome';

/**
 * Calls `fn` with every outcome of flights of `date` (predictions beside their actuals), each once, as the
 * date's chunks are read by their `_id` prefix (common/outcomes/outcome.ts says why chunks, and why each
 * once); holds one batch of chunks at a time, not the day. Resolves with how many outcomes there were.
 */
export async function eachOutcome(db: Db, date: string, fn: (o: Outcome) => void, collection: string = mongoNames.predictionOutcomes): Promise<number> {
  const seen = new Set<string>();
  const cursor = db.collection<OutcomeChunk>(collection).find({ _id: outcomeChunkIdsOf(date) }, { projection: { Lines: 1 }, batchSize: 20 });
  for await (const chunk of cursor) eachNewOutcome(chunk, seen, fn);
  return seen.size;
}

/** Every outcome of flights of `date`, each once. */
export async function readOutcomes(db: Db, date: string, collection: string = mongoNames.predictionOutcomes): Promise<Outcome[]> {
  const out: Outcome[] = [];
  await eachOutcome(db, date, (o) => out.push(o), collection);
  return out;
}
