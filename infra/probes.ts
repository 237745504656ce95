import type { Config } from '../common/config';
import type { ProbeResult } from './services/service';

/**
 * The stack's probes. The services' own protocols go through the project's clients (common/clients), so
 * that whatever address a setting holds — several brokers, mongodb+srv://, TLS, a replica set — is
 * probed as the processes will use it; each with a short deadline and no retries, so that a service
 * that is down answers at once.
 *
 * Each probe loads its client when it first runs (`import()`, which names the compiled .js; tsx finds the
 * .ts): the Temporal, Kafka and MongoDB clients take about half a second to load, which `stack down`,
 * `stack logs` and `npm run temporal` do not need.
 */

/** How long one probe may wait for an answer. */
const PROBE_TIMEOUT_MS = 3000;

/** Splits "host:port" (IPv6 in brackets allowed). */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort);
  if (!m) throw new Error(`expected host:port, got ${hostPort}`);
  return { host: m[1]!, port: Number(m[2]) };
}

/** GET a URL with a timeout; resolves with status and body text. */
export async function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

/** Turns any thrown error into a failed probe with a short reason. */
export async function probing(fn: () => Promise<ProbeResult>): Promise<ProbeResult> {
  try {
    return await fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    return { ok: false, detail: e.cause?.code ?? e.code ?? e.message };
  }
}

/**
 * The Temporal frontend answers GetSystemInfo and knows the configured namespace. A lazy connection
 * without the client's retry interceptor: a refused or unresolvable address fails the first call.
 */
export async function probeTemporalFrontend(config: Pick<Config, 'temporal'>): Promise<ProbeResult> {
  const { Connection, isGrpcServiceError } = await import('@temporalio/client');
  const { temporalConnectionOptions } = await import('../common/clients/temporal.js');
  const { namespace } = config.temporal;
  const connection = Connection.lazy({ ...temporalConnectionOptions(config), interceptors: [] });
  const call = <T>(fn: () => Promise<T>): Promise<T> => connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, fn);
  try {
    const info = await call(() => connection.workflowService.getSystemInfo({}));
    const version = info.serverVersion || 'unknown version';
    try {
      await call(() => connection.workflowService.describeNamespace({ namespace }));
    } catch (err) {
      if (isGrpcServiceError(err) && (err.code as number) === 5) {
        return { ok: false, detail: `Temporal ${version} answers but namespace "${namespace}" does not exist (TEMPORAL_NAMESPACE)` };
      }
      throw err;
    }
    return { ok: true, detail: `Temporal Server ${version} gRPC, namespace ${namespace}` };
  } catch (err) {
    // "14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:7233. Resolution note: "
    const message = (err as Error).message;
    const last = /Last error: (?:Error: )?(.*?)\.?(?: Resolution note:.*)?$/.exec(message)?.[1];
    return { ok: false, detail: last ? `${message.split(':')[0]}: ${last}` : message };
  } finally {
    await connection.close();
  }
}

/**
 * Kafka through kafkajs' admin, one client per configured broker (side by side, the first that answers
 * wins): ready when the broker's metadata lists live brokers, i.e. it is registered and unfenced.
 */
export async function probeKafka(config: Pick<Config, 'kafka' | 'logLevel'>): Promise<ProbeResult> {
  const { createKafka } = await import('../common/clients/kafka.js');
  const probeOne = async (broker: string): Promise<ProbeResult> => {
    const admin = createKafka(config, 'stack-probe', {
      brokers: [broker],
      // A probe says "down" and is asked again: no retries, and none of kafkajs' error lines.
      retry: { retries: 0 },
      logLevel: 0, // logLevel.NOTHING
      connectionTimeout: PROBE_TIMEOUT_MS,
      requestTimeout: PROBE_TIMEOUT_MS,
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) return { ok: false, detail: `${broker} answers but lists no live broker yet (starting, or fenced)` };
      const listed = cluster.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(',');
      return { ok: true, detail: `Kafka cluster ${cluster.clusterId}: brokers ${listed}, controller ${cluster.controller ?? 'none'}` };
    } catch (err) {
      const e = err as Error & { originalError?: Error };
      return { ok: false, detail: `${broker}: ${(e.originalError ?? e).message}` };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
  const results = await Promise.all(config.kafka.brokers.map(probeOne));
  return results.find((r) => r.ok) ?? { ok: false, detail: results.map((r) => r.detail).join('; ') };
}

/** Hosts of a mongodb:// URL without its credentials and options, for messages. */
function mongoHosts(url: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?([^/?]*).*$/, '$1$2');
}

/**
 * MongoDB through the driver (any URL it takes: mongodb+srv://, TLS, replica sets), then `hello`. Fails
 * as soon as every server the driver knows of has failed to connect, rather than at the end of server
 * selection.
 */
export async function probeMongo(config: Pick<Config, 'mongo'>): Promise<ProbeResult> {
  const { newMongoClient } = await import('../common/clients/mongo.js');
  const where = mongoHosts(config.mongo.url);
  const client = newMongoClient(config, {
    appName: 'flight-delay-stack-probe',
    serverSelectionTimeoutMS: PROBE_TIMEOUT_MS,
    connectTimeoutMS: PROBE_TIMEOUT_MS,
    maxPoolSize: 1,
  });
  const allFailed = new Promise<never>((_, reject) => {
    client.on('topologyDescriptionChanged', (event) => {
      const servers = [...event.newDescription.servers.values()];
      const failed = servers.filter((s) => s.error);
      if (servers.length > 0 && failed.length === servers.length) reject(failed[0]!.error!);
    });
  });
  const connecting = client.connect();
  try {
    await Promise.race([connecting, allFailed]);
    const hello = await client.db('admin').command({ hello: 1 }, { timeoutMS: PROBE_TIMEOUT_MS });
    if (hello.ok !== 1) return { ok: false, detail: `hello on ${where} failed: ${String(hello.errmsg ?? hello.codeName ?? hello.ok)}` };
    return { ok: true, detail: `MongoDB protocol at ${where} (hello ok, maxWireVersion ${String(hello.maxWireVersion)})` };
  } catch (err) {
    return { ok: false, detail: `${where}: ${(err as Error).message}` };
  } finally {
    connecting.catch(() => undefined);
    allFailed.catch(() => undefined);
    await client.close(true).catch(() => undefined);
  }
}

/** MLflow's REST API through the project's client: answers only once the database is migrated and a worker serves. */
export async function probeMlflowRest(config: Pick<Config, 'mlflow'>): Promise<ProbeResult> {
  const { MlflowClient, isMlflowError } = await import('../common/clients/mlflow.js');
  const client = new MlflowClient(config.mlflow.trackingUri, { timeoutMs: PROBE_TIMEOUT_MS });
  try {
    await client.getExperimentByName(config.mlflow.experiment);
    return { ok: true, detail: `MLflow REST API answers at ${client.baseUrl}` };
  } catch (err) {
    // Unreachable: the cause's code (ECONNREFUSED); an answer: the endpoint and what it said.
    return { ok: false, detail: isMlflowError(err) && err.status === 0 ? err.errorCode : (err as Error).message };
  }
}

/** WebHDFS through the project's client: GETFILESTATUS of /. */
export async function probeWebHdfs(config: Pick<Config, 'hdfs'>): Promise<ProbeResult> {
  const { WebHdfsClient, WebHdfsError } = await import('../common/clients/webhdfs.js');
  const client = new WebHdfsClient({ baseUrl: config.hdfs.webhdfsUrl, user: config.hdfs.user, timeoutMs: PROBE_TIMEOUT_MS });
  try {
    const root = await client.getFileStatus('/');
    if (root?.type !== 'DIRECTORY') return { ok: false, detail: 'WebHDFS answers but / is not a folder' };
    return { ok: true, detail: 'WebHDFS answers' };
  } catch (err) {
    // Unreachable: "cannot reach <url> (ECONNREFUSED)", without the advice that follows it.
    return { ok: false, detail: err instanceof WebHdfsError && err.status === 0 ? err.remoteMessage.split('. ')[0]! : (err as Error).message };
  }
}
