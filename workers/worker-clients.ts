import { NativeConnection, type Worker } from '@temporalio/worker';
import { hostname } from 'node:os';
import { RenewableMongo } from '../common/clients/mongo';
import { closeTemporal, connectTemporal, type TemporalClients } from '../common/clients/temporal';
import type { Config } from '../common/config';

/** A worker made by one of the create…Worker functions, with the clients it holds. */
export interface ClientWorker {
  worker: Worker;
  temporal: TemporalClients;
  close(): Promise<void>;
}

/** What a worker that reads MongoDB and starts or signals workflows connects to, and the identity it runs under. */
export interface WorkerClients {
  mongo: RenewableMongo;
  temporal: TemporalClients;
  connection: NativeConnection;
  /** Temporal's own default identity (`pid@host`), named so that the stats can say where work runs. */
  identity: string;
  /** Closes them all (once the worker has stopped). */
  close(): Promise<void>;
}

export async function connectWorkerClients(cfg: Config): Promise<WorkerClients> {
  const mongo = await RenewableMongo.connect(cfg);
  const temporal = await connectTemporal(cfg);
  const connection = await NativeConnection.connect({ address: cfg.temporal.address });
  return {
    mongo,
    temporal,
    connection,
    identity: `${process.pid}@${hostname()}`,
    async close() {
      await connection.close();
      await closeTemporal(temporal);
      await mongo.close();
    },
  };
}
