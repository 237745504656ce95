import { MongoBulkWriteError, MongoClient, type Collection, type Db, type MongoClientOptions, type OptionalUnlessRequiredId, type WriteError } from 'mongodb';
import type { Config } from '../config';

/** How long to look for the server before giving up: a local server answers at once or not at all. */
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

/**
 * A connected MongoClient for config.mongo.url (the local stack's FerretDB or mongod by default).
 * Fails fast, with what to do, when nothing answers. The caller closes it.
 *
 * The local server may be FerretDB 1.x: do not depend on change streams, transactions, $lookup,
 * $facet, TTL or partial indexes.
 */
export async function createMongoClient(
  config: Pick<Config, 'mongo'>,
  options: MongoClientOptions = {},
): Promise<MongoClient> {
  const client = newMongoClient(config, options);
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.close().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `MongoDB at ${redactUrl(config.mongo.url)} is not reachable (${reason}). ` +
        'Start the local one with `npm run stack -- up mongo`, or set MONGO_URL to a running server.',
      { cause: err },
    );
  }
}

/** A MongoClient for config.mongo.url with the project's options, not connected yet (most callers want {@link createMongoClient}). */
export function newMongoClient(config: Pick<Config, 'mongo'>, options: MongoClientOptions = {}): MongoClient {
  return new MongoClient(config.mongo.url, {
    appName: 'flight-delay',
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    connectTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    ...options,
  });
}

/** The project's database (config.mongo.db, `agile_data_science` by default). */
export function database(client: MongoClient, config: Pick<Config, 'mongo'>): Db {
  return client.db(config.mongo.db);
}

function redactUrl(url: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

const duplicateKeyCode = 11000;

/**
 * For an unordered insertMany that failed: the positions of the documents refused for a duplicate
 * key, when that is the only thing that went wrong; undefined for any other failure (rethrow it).
 */
export function duplicateKeyPositions(err: unknown): number[] | undefined {
  if (!(err instanceof MongoBulkWriteError)) return undefined;
  const errors = ([] as WriteError[]).concat(err.writeErrors as WriteError | WriteError[]);
  if (errors.length === 0) return Number(err.code) === duplicateKeyCode ? [] : undefined;
  return errors.every((e) => e.code === duplicateKeyCode) ? errors.map((e) => e.index) : undefined;
}

/**
 * Inserts the documents in unordered batches, keeping those whose _id is there already: storing the
 * same documents twice stores them once. Returns how many were new.
 */
export async function insertNew<T extends { _id: string }>(collection: Collection<T>, docs: readonly T[], batchSize = 1000): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < docs.length; i += batchSize) {
    const batch = docs.slice(i, i + batchSize) as OptionalUnlessRequiredId<T>[];
    try {
      inserted += (await collection.insertMany(batch, { ordered: false })).insertedCount;
    } catch (err) {
      const existing = duplicateKeyPositions(err);
      if (!existing) throw err;
      inserted += batch.length - existing.length;
    }
  }
  return inserted;
}

/** Errors that say the server could not be reached (as opposed to an answer it gave), anywhere in a cause chain. */
export function isMongoUnreachable(err: unknown): boolean {
  const unreachable = new Set(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoTopologyClosedError']);
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (unreachable.has(e.name)) return true;
  }
  return false;
}

/**
 * A MongoDB client that a long-running worker can replace: `db` is always the current one's database.
 * After a server restart the driver's topology can stay stuck on the error of a connection that closed
 * (seen with the local FerretDB: every server selection failed for minutes after it was back), so a
 * worker whose work failed for want of the server renews the client before the work is retried.
 */
export class RenewableMongo {
  private constructor(
    private client: MongoClient,
    private readonly config: Pick<Config, 'mongo'>,
  ) {}

  static async connect(config: Pick<Config, 'mongo'>): Promise<RenewableMongo> {
    return new RenewableMongo(await createMongoClient(config), config);
  }

  get db(): Db {
    return database(this.client, this.config);
  }

  /** Closes the current client (whatever it was doing) and connects a new one; the old one stays if the server is still away. */
  async renew(): Promise<void> {
    const next = await createMongoClient(this.config);
    const old = this.client;
    this.client = next;
    await old.close(true).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
