/**
 * MLflow over its REST API (fetch only): experiments, runs, params/metrics/tags, artifacts through
 * the server's artifact proxy, and (from ./mlflow-registry) the model registry.
 */
import { config as loadConfig, type Config } from '../config';
import { MlflowError, MlflowRegistryClient, toRecord, type MlflowClientOptions } from './mlflow-registry';

export { MlflowError, isMlflowError } from './mlflow-registry';
export type { MlflowClientOptions, ModelVersion, ModelVersionStatus, RegisteredModel } from './mlflow-registry';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: 'active' | 'deleted';
  tags: Record<string, string>;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  /** e.g. mlflow-artifacts:/1/<runId>/artifacts */
  artifactUri: string;
  lifecycleStage: 'active' | 'deleted';
}

export interface Run {
  info: RunInfo;
  /** Latest value of each metric, and the params and tags, by key. */
  data: { metrics: Record<string, number>; params: Record<string, string>; tags: Record<string, string> };
}

export interface Metric {
  key: string;
  value: number;
  /** Milliseconds since the epoch; defaults to now. */
  timestamp?: number;
  step?: number;
}

export interface ArtifactFile {
  /** Relative to the run's artifact root, e.g. "model/forest.json". */
  path: string;
  isDir: boolean;
  fileSize?: number;
}

/** MLflow's limits for one runs/log-batch request. */
export const batchLimits = { metrics: 1000, params: 100, tags: 100, entities: 1000, bytes: 900_000 } as const;

type KV = { key: string; value: string };
interface WireExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  tags?: KV[];
}
interface WireRun {
  info: {
    run_id: string;
    experiment_id: string;
    run_name: string;
    status: RunStatus;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: 'active' | 'deleted';
  };
  data?: { metrics?: { key: string; value: number }[]; params?: KV[]; tags?: KV[] };
}

const experiment = (e: WireExperiment): Experiment => ({
  experimentId: e.experiment_id,
  name: e.name,
  artifactLocation: e.artifact_location,
  lifecycleStage: e.lifecycle_stage,
  tags: toRecord(e.tags),
});
const run = (r: WireRun): Run => ({
  info: {
    runId: r.info.run_id,
    experimentId: r.info.experiment_id,
    runName: r.info.run_name,
    status: r.info.status,
    startTime: Number(r.info.start_time),
    endTime: r.info.end_time === undefined ? undefined : Number(r.info.end_time),
    artifactUri: r.info.artifact_uri,
    lifecycleStage: r.info.lifecycle_stage,
  },
  data: {
    metrics: Object.fromEntries((r.data?.metrics ?? []).map((m) => [m.key, Number(m.value)])),
    params: toRecord(r.data?.params),
    tags: toRecord(r.data?.tags),
  },
});

export class MlflowClient extends MlflowRegistryClient {
  /** Artifact root of each run, as a path under the server's artifact proxy. */
  private readonly artifactRoots = new Map<string, string>();

  // ---- experiments ----

  /** The experiment, or undefined when none has that name. */
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const r = await this.call<{ experiment: WireExperiment }>('GET', 'experiments/get-by-name', { experiment_name: name });
      return experiment(r.experiment);
    } catch (err) {
      if (err instanceof MlflowError && err.errorCode === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw err;
    }
  }

  /** Creates an experiment; its artifacts go to the server's default location. Returns its id. */
  async createExperiment(name: string, tags: Record<string, string> = {}): Promise<string> {
    const r = await this.call<{ experiment_id: string }>('POST', 'experiments/create', { name, tags: kvs(tags) });
    return r.experiment_id;
  }

  /** The id of the named experiment, created if needed (tolerates a concurrent creator). */
  async getOrCreateExperiment(name: string): Promise<string> {
    const found = await this.getExperimentByName(name);
    if (found) {
      if (found.lifecycleStage === 'deleted') await this.call('POST', 'experiments/restore', { experiment_id: found.experimentId });
      return found.experimentId;
    }
    try {
      return await this.createExperiment(name);
    } catch (err) {
      const again = err instanceof MlflowError && err.errorCode === 'RESOURCE_ALREADY_EXISTS' && (await this.getExperimentByName(name));
      if (again) return again.experimentId;
      throw err;
    }
  }

  /** Soft-deletes the experiment (and its runs); its name stays taken until the server's gc. */
  async deleteExperiment(experimentId: string): Promise<void> {
    await this.call('POST', 'experiments/delete', { experiment_id: experimentId });
  }

  // ---- runs ----

  async createRun(experimentId: string, opts: { runName?: string; tags?: Record<string, string>; startTime?: number } = {}): Promise<Run> {
    const r = await this.call<{ run: WireRun }>('POST', 'runs/create', {
      experiment_id: experimentId,
      run_name: opts.runName,
      start_time: opts.startTime ?? Date.now(),
      tags: kvs(opts.tags),
    });
    return run(r.run);
  }

  async getRun(runId: string): Promise<Run> {
    const r = await this.call<{ run: WireRun }>('GET', 'runs/get', { run_id: runId });
    return run(r.run);
  }

  /** Runs of the experiments matching an MLflow filter (e.g. "params.trees = '20'"), newest first by default. */
  async searchRuns(
    experimentIds: string[],
    filter = '',
    opts: { maxResults?: number; orderBy?: string[] } = {},
  ): Promise<Run[]> {
    const max = opts.maxResults ?? 1000;
    const out: Run[] = [];
    let pageToken: string | undefined;
    do {
      const r = await this.call<{ runs?: WireRun[]; next_page_token?: string }>('POST', 'runs/search', {
        experiment_ids: experimentIds,
        filter,
        max_results: Math.min(max - out.length, 1000),
        order_by: opts.orderBy ?? ['attributes.start_time DESC'],
        page_token: pageToken,
      });
      out.push(...(r.runs ?? []).map(run));
      pageToken = r.next_page_token || undefined;
    } while (pageToken && out.length < max);
    return out;
  }

  /** Ends (or otherwise changes the status of) a run; FINISHED/FAILED/KILLED get an end time. */
  async updateRun(runId: string, status: RunStatus, endTime: number | undefined = status === 'RUNNING' ? undefined : Date.now()): Promise<RunInfo> {
    const r = await this.call<{ run_info: WireRun['info'] }>('POST', 'runs/update', { run_id: runId, status, end_time: endTime });
    return run({ info: r.run_info }).info;
  }

  async logParam(runId: string, key: string, value: string | number | boolean): Promise<void> {
    await this.call('POST', 'runs/log-parameter', { run_id: runId, key, value: String(value) });
  }

  async logMetric(runId: string, key: string, value: number, step = 0, timestamp = Date.now()): Promise<void> {
    await this.call('POST', 'runs/log-metric', { run_id: runId, key, value, step, timestamp });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'runs/set-tag', { run_id: runId, key, value });
  }

  /** Logs any number of metrics, params and tags, split into requests within MLflow's batch limits. */
  async logBatch(
    runId: string,
    batch: { metrics?: Metric[]; params?: Record<string, string | number | boolean>; tags?: Record<string, string> },
  ): Promise<void> {
    const now = Date.now();
    const metrics = (batch.metrics ?? []).map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp ?? now, step: m.step ?? 0 }));
    const params = Object.entries(batch.params ?? {}).map(([key, value]) => ({ key, value: String(value) }));
    for (const chunk of chunkBatch(metrics, params, kvs(batch.tags))) {
      await this.call('POST', 'runs/log-batch', { run_id: runId, ...chunk });
    }
  }

  /** Every logged value of a metric, in step order. */
  async getMetricHistory(runId: string, key: string): Promise<Required<Metric>[]> {
    const out: Required<Metric>[] = [];
    let pageToken: string | undefined;
    do {
      const r = await this.call<{ metrics?: Required<Metric>[]; next_page_token?: string }>('GET', 'metrics/get-history', {
        run_id: runId,
        metric_key: key,
        page_token: pageToken,
      });
      out.push(...(r.metrics ?? []).map((m) => ({ ...m, value: Number(m.value), timestamp: Number(m.timestamp), step: Number(m.step ?? 0) })));
      pageToken = r.next_page_token || undefined;
    } while (pageToken);
    return out.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  }

  // ---- artifacts, through the server's proxy (mlflow server --serve-artifacts) ----

  /** The URI of an artifact of the run, e.g. for registering a model version from it. */
  async artifactUri(runId: string, path = ''): Promise<string> {
    const { info } = await this.getRun(runId);
    return path ? `${info.artifactUri}/${checkPath(path)}` : info.artifactUri;
  }

  async uploadArtifact(runId: string, path: string, content: string | Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
    const url = await this.artifactUrl(runId, checkPath(path));
    await this.send('PUT', url, { body: content, headers: { 'Content-Type': contentType } });
  }

  async downloadArtifact(runId: string, path: string): Promise<Buffer> {
    const res = await this.send('GET', await this.artifactUrl(runId, checkPath(path)));
    return Buffer.from(await res.arrayBuffer());
  }

  /** The files and folders directly inside `dir` (the artifact root by default). */
  async listArtifacts(runId: string, dir = ''): Promise<ArtifactFile[]> {
    const root = await this.artifactRoot(runId);
    const d = dir ? checkPath(dir) : '';
    const res = await this.send('GET', `/api/2.0/mlflow-artifacts/artifacts?${new URLSearchParams({ path: d ? `${root}/${d}` : root }).toString()}`);
    const body = (await res.json()) as { files?: { path: string; is_dir?: boolean; file_size?: number | string }[] };
    return (body.files ?? []).map((f) => ({
      path: d ? `${d}/${f.path}` : f.path,
      isDir: Boolean(f.is_dir),
      fileSize: f.file_size === undefined ? undefined : Number(f.file_size),
    }));
  }

  /** Deletes an artifact file or folder of the run; without a path, all of the run's artifacts. */
  async deleteArtifacts(runId: string, path = ''): Promise<void> {
    await this.send('DELETE', await this.artifactUrl(runId, path ? checkPath(path) : ''));
  }

  private async artifactUrl(runId: string, path: string): Promise<string> {
    const root = await this.artifactRoot(runId);
    const full = path ? `${root}/${path}` : root;
    return `/api/2.0/mlflow-artifacts/artifacts/${full.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** mlflow-artifacts:/1/<runId>/artifacts (or mlflow-artifacts://host:port/1/...) → 1/<runId>/artifacts */
  private async artifactRoot(runId: string): Promise<string> {
    let root = this.artifactRoots.get(runId);
    if (root === undefined) {
      const uri = (await this.getRun(runId)).info.artifactUri;
      const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*?)\/*$/.exec(uri);
      if (!m?.[1]) {
        throw new MlflowError(
          'artifacts',
          0,
          'ARTIFACTS_NOT_PROXIED',
          `run ${runId} stores its artifacts at ${uri}, which this client cannot reach: ` +
            'the tracking server must run with --serve-artifacts and the experiment use its default artifact location.',
        );
      }
      root = m[1];
      this.artifactRoots.set(runId, root);
    }
    return root;
  }
}

/** A client for config().mlflow.trackingUri (MLFLOW_TRACKING_URI). */
export function createMlflowClient(cfg: Config = loadConfig(), opts: MlflowClientOptions = {}): MlflowClient {
  return new MlflowClient(cfg.mlflow.trackingUri, opts);
}

/** Splits a batch into log-batch requests within MLflow's limits (per kind, per request, and in bytes). */
export function chunkBatch(
  metrics: Required<Metric>[],
  params: KV[],
  tags: KV[],
): { metrics: Required<Metric>[]; params: KV[]; tags: KV[] }[] {
  const chunks: { metrics: Required<Metric>[]; params: KV[]; tags: KV[] }[] = [];
  let cur = { metrics: [] as Required<Metric>[], params: [] as KV[], tags: [] as KV[] };
  let bytes = 0;
  const add = <K extends 'metrics' | 'params' | 'tags'>(kind: K, item: (typeof cur)[K][number]): void => {
    const size = JSON.stringify(item).length + 1;
    const count = cur.metrics.length + cur.params.length + cur.tags.length;
    if (cur[kind].length >= batchLimits[kind] || count >= batchLimits.entities || (count > 0 && bytes + size > batchLimits.bytes)) {
      chunks.push(cur);
      cur = { metrics: [], params: [], tags: [] };
      bytes = 0;
    }
    (cur[kind] as (typeof item)[]).push(item);
    bytes += size;
  };
  for (const p of params) add('params', p);
  for (const t of tags) add('tags', t);
  for (const m of metrics) add('metrics', m);
  if (cur.metrics.length + cur.params.length + cur.tags.length > 0) chunks.push(cur);
  return chunks;
}

function kvs(r: Record<string, string> | undefined): KV[] {
  return Object.entries(r ?? {}).map(([key, value]) => ({ key, value }));
}

function checkPath(path: string): string {
  const p = path.replace(/^\/+|\/+$/g, '');
  if (!p || p.split('/').some((s) => s === '' || s === '.' || s === '..')) throw new Error(`bad artifact path '${path}'`);
  return p;
}
