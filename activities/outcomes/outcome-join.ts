/**
 * The join of actual arrivals to predictions, exactly once however often either arrives and in
 * whichever order. Each side writes itself first and then reads the other:
 * - an actual: stored in `flight_actuals` (`_id` = flight key; the first report of a flight is the one
 *   kept), then every prediction of its flight read from `flight_predictions` (an `_id` prefix range);
 * - a prediction: filed in `flight_predictions`, then the actual of its flight read (by `_id`).
 * The server applies writes one after another, so of an actual and a prediction of one flight at least
 * the one written second sees the other; when both do, or when a side is written again after a crash,
 * the outcome is written twice, and readers keep one of each (common/outcomes/outcome.ts). A side's
 * write that fails fails its caller (the stream's batch, the batch's chunk, the actuals' batch), which is
 * retried whole: nothing is lost between the write and the read.
 *
 * Every read here is by `_id` (a list of ids, or a union of id prefixes): the stack's MongoDB-protocol
 * server answers those from its index and scans the collection for anything else.
 */
import { createHash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { duplicateKeyPositions, insertNew } from '../../common/clients/mongo';
import { mongoNames } from '../../common/names';
import { flightKey, type FlightActual } from '../../common/outcomes/actual';
import { predictionIdsOfFlight, type FlightPrediction } from '../../common/outcomes/flight-prediction';
import { chunkLines, outcomeOf, type Outcome, type OutcomeChunk } from '../../common/outcomes/outcome';

export interface OutcomeCollections {
  actuals: string;
  predictions: string;
  outcomes: string;
}

export const outcomeCollections = (override: Partial<OutcomeCollections> = {}): OutcomeCollections => ({
  actuals: mongoNames.flightActuals,
  predictions: mongoNames.flightPredictions,
  outcomes: mongoNames.predictionOutcomes,
  ...override,
});

/** Collections of their own beside a results collection of their own (tests and benchmarks), dropped with it. */
export const outcomeCollectionsBeside = (resultsCollection: string): OutcomeCollections => ({
  actuals: `${resultsCollection}_actuals`,
  predictions: `${resultsCollection}_flight_predictions`,
  outcomes: `${resultsCollection}_outcomes`,
});

/** The three names, for dropping them. */
export const collectionNames = (c: OutcomeCollections): string[] => [c.actuals, c.predictions, c.outcomes];

/**
 * A prediction as `flight_predictions` stores it: its `_id` and the rest as one JSON string. The stream files
 * every result here beside storing it, and the stack's MongoDB-protocol server spends its time per field
 * (a packed document costs it far less than eleven fields; bench:stream shows the difference).
 */
export interface FiledPrediction {
  _id: string;
  v: string;
}

const packPrediction = ({ _id, ...rest }: FlightPrediction): FiledPrediction => ({ _id, v: JSON.stringify(rest) });
const unpackPrediction = (d: FiledPrediction): FlightPrediction => ({ _id: d._id, ...(JSON.parse(d.v) as Omit<FlightPrediction, '_id'>) });

/** The `_id` filter of every actual of flights of `date` (their keys start with `<date>|`). */
const actualIdsOfDate = (date: string): { $gte: string; $lt: string } => ({ $gte: `${date}|`, $lt: `${date}}` });

/** An actual as `flight_actuals` stores it. */
export type ActualDocument = FlightActual & { _id: string; ReceivedAt: string };

/** Ids read by one `$in`. */
const idsPerRead = 1_000;
/**
 * Flights whose predictions one `$or` of prefix ranges reads: the server filters every document it gets
 * against every range again, so a long union costs ranges × documents (1,000 ranges over 10,000
 * documents took 33 s; 25 ranges take milliseconds).
 */
const flightsPerRead = 25;
const readsInFlight = 4;

export interface OutcomeJoin {
  /** Files predictions under their flights and joins those whose actual is in. */
  recordPredictions(predictions: readonly FlightPrediction[]): Promise<{ filed: number; joined: number }>;
  /** Stores actuals (a flight's first report wins) and joins each to every prediction of its flight so far. */
  recordActuals(actuals: readonly FlightActual[]): Promise<{ stored: number; repeated: number; joined: number }>;
}

export function outcomeJoin(db: Db, names: OutcomeCollections = outcomeCollections()): OutcomeJoin {
  const actuals: Collection<ActualDocument> = db.collection<ActualDocument>(names.actuals);
  const predictions: Collection<FiledPrediction> = db.collection<FiledPrediction>(names.predictions);
  const chunks: Collection<OutcomeChunk> = db.collection<OutcomeChunk>(names.outcomes);

  const writeOutcomes = async (outcomes: readonly Outcome[]): Promise<void> => {
    if (outcomes.length === 0) return;
    const byDate = new Map<string, Outcome[]>();
    for (const o of outcomes) byDate.set(o.FlightDate, [...(byDate.get(o.FlightDate) ?? []), o]);
    const now = new Date().toISOString();
    const docs: OutcomeChunk[] = [...byDate].flatMap(([date, dated]) =>
      chunkLines(dated).map((lines) => ({
        // The same outcomes make the same chunk: writing a chunk again (a retry) stores it once.
        _id: `${date}:${createHash('sha256').update(lines).digest('hex').slice(0, 32)}`,
        FlightDate: date,
        Count: lines.split('\n').length,
        Lines: lines,
        WrittenAt: now,
      })),
    );
    await insertNew(chunks, docs, 20);
  };

  const inParallel = async <T, R>(groups: T[][], read: (group: T[]) => Promise<R[]>): Promise<R[]> => {
    const out: R[] = [];
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < groups.length) out.push(...(await read(groups[next++]!)));
    };
    await Promise.all(Array.from({ length: Math.min(readsInFlight, groups.length) }, reader));
    return out;
  };
  const groupsOf = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

  const actualsOf = (keys: readonly string[]): Promise<ActualDocument[]> =>
    inParallel(groupsOf([...new Set(keys)], idsPerRead), (ids) => actuals.find({ _id: { $in: ids } }).toArray());

  return {
    async recordPredictions(filed) {
      if (filed.length === 0) return { filed: 0, joined: 0 };
      await insertNew(predictions, filed.map(packPrediction));
      // Only the dates with an actual in already are looked up flight by flight: a batch that predicts
      // flights before they fly (the daily run's usual case) asks one question a date, not one a flight.
      const dates = [...new Set(filed.map((p) => p.FlightDate))];
      const withActuals = new Set<string>();
      for (const date of dates) if (await actuals.findOne({ _id: actualIdsOfDate(date) }, { projection: { _id: 1 } })) withActuals.add(date);
      const found = new Map((await actualsOf(filed.filter((p) => withActuals.has(p.FlightDate)).map((p) => p.FlightKey))).map((a) => [a._id, a]));
      const outcomes = filed.flatMap((p) => {
        const actual = found.get(p.FlightKey);
        return actual ? [outcomeOf(p, actual)] : [];
      });
      await writeOutcomes(outcomes);
      return { filed: filed.length, joined: outcomes.length };
    },

    async recordActuals(reported) {
      if (reported.length === 0) return { stored: 0, repeated: 0, joined: 0 };
      const receivedAt = new Date().toISOString();
      // One per flight: the first of a batch, as the first stored wins over later reports.
      const byKey = new Map<string, ActualDocument>();
      for (const a of reported) {
        const key = flightKey(a);
        if (!byKey.has(key)) byKey.set(key, { _id: key, ...a, ReceivedAt: receivedAt });
      }
      const docs = [...byKey.values()];
      let repeatedKeys: string[] = [];
      for (const group of groupsOf(docs, idsPerRead)) {
        try {
          await actuals.insertMany(group, { ordered: false });
        } catch (err) {
          const existing = duplicateKeyPositions(err);
          if (!existing) throw err;
          repeatedKeys = repeatedKeys.concat(existing.map((at) => group[at]!._id));
        }
      }
      // A flight reported before: the outcome is the stored report's, whatever this one says.
      for (const stored of await actualsOf(repeatedKeys)) byKey.set(stored._id, stored);
      const filed = await inParallel(groupsOf([...byKey.keys()], flightsPerRead), (keys) =>
        predictions.find({ $or: keys.map((k) => ({ _id: predictionIdsOfFlight(k) })) }).toArray(),
      ).then((docs) => docs.map(unpackPrediction));
      const outcomes = filed.flatMap((p) => {
        const actual = byKey.get(p.FlightKey);
        return actual ? [outcomeOf(p, actual)] : [];
      });
      await writeOutcomes(outcomes);
      return { stored: docs.length - repeatedKeys.length, repeated: reported.length - (docs.length - repeatedKeys.length), joined: outcomes.length };
    },
  };
}
