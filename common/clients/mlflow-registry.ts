/**
 * The REST plumbing of the MLflow client (requests, errors) and its model-registry half.
 * Use MlflowClient from ./mlflow, which adds experiments, runs and artifacts.
 */

/** An MLflow REST call that failed: MLflow's error_code and message, and the endpoint that answered. */
export class MlflowError extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
  ) {
    super(`MLflow ${endpoint} failed with ${status} ${errorCode}: ${detail}`);
    this.name = 'MlflowError';
  }
}

export const isMlflowError = (err: unknown, errorCode?: string): err is MlflowError =>
  err instanceof MlflowError && (errorCode === undefined || err.errorCode === errorCode);

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface MlflowClientOptions {
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export class MlflowRestClient {
  readonly baseUrl: string;
  protected readonly timeoutMs: number;

  constructor(trackingUri: string, opts: MlflowClientOptions = {}) {
    this.baseUrl = trackingUri.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** A JSON call to /api/2.0/mlflow/<endpoint>: GET sends `body` as query parameters, the others as JSON. */
  protected async call<T>(method: Method, endpoint: string, body: Query | Record<string, unknown> = {}): Promise<T> {
    const path = `/api/2.0/mlflow/${endpoint}`;
    const res =
      method === 'GET'
        ? await this.send(method, `${path}${queryString(body as Query)}`)
        : await this.send(method, path, { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Any request to the server; rejects with MlflowError unless the answer is 2xx. */
  protected async send(method: Method, path: string, init: { body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Response> {
    const endpoint = `${method} ${path.split('?')[0]}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { method, ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      throw new MlflowError(
        endpoint,
        0,
        e.cause?.code ?? e.name,
        `MLflow at ${this.baseUrl} did not answer (${e.cause?.code ?? e.message}). ` +
          'Start it with `npm run stack -- up mlflow`, or point MLFLOW_TRACKING_URI at a running server.',
      );
    }
    if (res.ok) return res;
    const text = await res.text();
    let code = `HTTP_${res.status}`;
    let message = text.slice(0, 500);
    try {
      const j = JSON.parse(text) as { error_code?: string; message?: string };
      code = j.error_code ?? code;
      message = j.message ?? message;
    } catch {
      /* not JSON: keep the text */
    }
    throw new MlflowError(endpoint, res.status, code, message);
  }
}

function queryString(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) p.append(k, String(item));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const toRecord = (kvs: { key: string; value: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((kvs ?? []).map((t) => [t.key, t.value]));
const toKeyValues = (r: Record<string, string> | undefined): { key: string; value: string }[] =>
  Object.entries(r ?? {}).map(([key, value]) => ({ key, value }));

export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface ModelVersion {
  name: string;
  version: string;
  source: string;
  runId?: string;
  status: ModelVersionStatus;
  aliases: string[];
  tags: Record<string, string>;
  creationTimestamp: number;
}

export interface RegisteredModel {
  name: string;
  description?: string;
  aliases: Record<string, string>;
}

interface WireModelVersion {
  name: string;
  version: string;
  source: string;
  run_id?: string;
  status: ModelVersionStatus;
  aliases?: string[];
  tags?: { key: string; value: string }[];
  creation_timestamp: number;
}
interface WireRegisteredModel {
  name: string;
  description?: string;
  aliases?: { alias: string; version: string }[];
}

const modelVersion = (m: WireModelVersion): ModelVersion => ({
  name: m.name,
  version: m.version,
  source: m.source,
  runId: m.run_id || undefined,
  status: m.status,
  aliases: m.aliases ?? [],
  tags: toRecord(m.tags),
  creationTimestamp: m.creation_timestamp,
});
const registeredModel = (m: WireRegisteredModel): RegisteredModel => ({
  name: m.name,
  description: m.description,
  aliases: Object.fromEntries((m.aliases ?? []).map((a) => [a.alias, a.version])),
});

/** The model registry: registered models, their versions, and aliases such as "champion". */
export class MlflowRegistryClient extends MlflowRestClient {
  /** Creates the registered model; one that already exists is fine and is returned as it is. */
  async createRegisteredModel(name: string, opts: { description?: string; tags?: Record<string, string> } = {}): Promise<RegisteredModel> {
    try {
      const r = await this.call<{ registered_model: WireRegisteredModel }>('POST', 'registered-models/create', {
        name,
        description: opts.description,
        tags: toKeyValues(opts.tags),
      });
      return registeredModel(r.registered_model);
    } catch (err) {
      if (!isMlflowError(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      return this.getRegisteredModel(name);
    }
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const r = await this.call<{ registered_model: WireRegisteredModel }>('GET', 'registered-models/get', { name });
    return registeredModel(r.registered_model);
  }

  /** Deletes the registered model with all its versions and aliases. */
  async deleteRegisteredModel(name: string): Promise<void> {
    await this.call('DELETE', 'registered-models/delete', { name });
  }

  /**
   * Registers `source` (e.g. the run's artifact URI of the model folder) as a new version of `name`;
   * with `modelId` (an MLflow 3 logged model), `source` must be within that model's artifacts, and the
   * logged model's tag `mlflow.modelVersions` lists the version (MLflow 3.17 answers no model_id on versions).
   */
  async createModelVersion(
    name: string,
    source: string,
    runId?: string,
    opts: { description?: string; tags?: Record<string, string>; modelId?: string } = {},
  ): Promise<ModelVersion> {
    const r = await this.call<{ model_version: WireModelVersion }>('POST', 'model-versions/create', {
      name,
      source,
      run_id: runId,
      model_id: opts.modelId,
      description: opts.description,
      tags: toKeyValues(opts.tags),
    });
    return modelVersion(r.model_version);
  }

  async getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
    const r = await this.call<{ model_version: WireModelVersion }>('GET', 'model-versions/get', { name, version: String(version) });
    return modelVersion(r.model_version);
  }

  async setModelVersionTag(name: string, version: string | number, key: string, value: string): Promise<void> {
    await this.call('POST', 'model-versions/set-tag', { name, version: String(version), key, value });
  }

  /** Versions matching an MLflow filter, e.g. "name = 'm' and run_id = 'abc'". */
  async searchModelVersions(filter: string): Promise<ModelVersion[]> {
    const r = await this.call<{ model_versions?: WireModelVersion[] }>('GET', 'model-versions/search', { filter, max_results: '1000' });
    return (r.model_versions ?? []).map(modelVersion);
  }

  /** Points `alias` at `version`, moving it from whichever version had it. */
  async setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version: String(version) });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.call('DELETE', 'registered-models/alias', { name, alias });
  }

  /** The version the alias points at, or undefined when the alias (or the model) does not exist. */
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | undefined> {
    try {
      const r = await this.call<{ model_version: WireModelVersion }>('GET', 'registered-models/alias', { name, alias });
      return modelVersion(r.model_version);
    } catch (err) {
      // A missing model answers 404 RESOURCE_DOES_NOT_EXIST; a missing alias of an existing model
      // answers 400 INVALID_PARAMETER_VALUE "Registered model alias <alias> not found."
      if (isMlflowError(err, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      if (isMlflowError(err, 'INVALID_PARAMETER_VALUE') && /alias .* not found/i.test(err.detail)) return undefined;
      throw err;
    }
  }
}
