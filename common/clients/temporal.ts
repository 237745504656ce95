import { Client, Connection, isGrpcServiceError, type ConnectionOptions } from '@temporalio/client';
import type { Config } from '../config';

/** A connection to the Temporal frontend and a client bound to the configured namespace. */
export interface TemporalClients {
  connection: Connection;
  client: Client;
}

export interface ConnectTemporalOptions {
  /** How long to wait for the frontend to answer; default 5 s. */
  connectTimeoutMs?: number;
}

const grpcNotFound = 5;

/** What every connection to the frontend is made with (one place for the address, and for TLS when it comes). */
export function temporalConnectionOptions(config: Pick<Config, 'temporal'>): ConnectionOptions {
  return { address: config.temporal.address };
}

/**
 * Connects to TEMPORAL_ADDRESS and checks that TEMPORAL_NAMESPACE exists, so that a wrong address or
 * namespace fails here, with what to do, rather than at the first workflow call.
 * Close with {@link closeTemporal}.
 */
export async function connectTemporal(
  config: Pick<Config, 'temporal'>,
  options: ConnectTemporalOptions = {},
): Promise<TemporalClients> {
  const { address, namespace } = config.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: options.connectTimeoutMs ?? 5000 });
  } catch (err) {
    throw new Error(
      `Cannot reach the Temporal frontend at ${address} (${(err as Error).message}). ` +
        'Start the local one with `npm run stack -- up temporal`, or set TEMPORAL_ADDRESS to a running server.',
      { cause: err },
    );
  }
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    await connection.close();
    if (isGrpcServiceError(err) && (err.code as number) === grpcNotFound) {
      throw new Error(
        `Temporal at ${address} has no namespace "${namespace}". Set TEMPORAL_NAMESPACE to an existing one ` +
          `(the local dev server creates "default" and the configured one), or create it: temporal operator namespace create ${namespace}`,
        { cause: err },
      );
    }
    throw new Error(`Temporal at ${address} answered DescribeNamespace(${namespace}) with an error: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return { connection, client: new Client({ connection, namespace }) };
}

/** Closes the connection opened by {@link connectTemporal}; safe to call with undefined. */
export async function closeTemporal(clients: TemporalClients | undefined): Promise<void> {
  await clients?.connection.close();
}
