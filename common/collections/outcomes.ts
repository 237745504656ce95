import type { Db } from 'mongodb';
import { mongoNames } from '../names';
import { distinctOutcomes, outcomeChunkIdsOf, type Outcome, type OutcomeChunk } from '../outcomes/outcome';

/**
 * Every outcome of flights of `date` (predictions beside their actuals), each once: the chunks of the
 * date read by their `_id` prefix (common/outcomes/outcome.ts says why chunks, and why each once).
 */
export async function readOutcomes(db: Db, date: string, collection: string = mongoNames.predictionOutcomes): Promise<Outcome[]> {
  const chunks = await db
    .collection<OutcomeChunk>(collection)
    .find({ _id: outcomeChunkIdsOf(date) }, { projection: { Lines: 1 } })
    .toArray();
  return distinctOutcomes(chunks);
}
