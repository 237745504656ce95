/** Experiments and runs (params, metrics, tags) over MLflow's REST API. Use MlflowClient from ./mlflow. */
import { chunkBatch, kvs, type KV, type Metric } from './mlflow-batch';
import { MlflowError, MlflowRegistryClient, toRecord } from './mlflow-registry';

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
  /** The logged models the run recorded as its outputs (runs/outputs). */
  outputModelIds: string[];
}

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
  outputs?: { model_outputs?: { model_id: string }[] };
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
  outputModelIds: (r.outputs?.model_outputs ?? []).map((o) => o.model_id),
});

export class MlflowTrackingClient extends MlflowRegistryClient {
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

  /** Sets (or replaces) a tag of the experiment, e.g. mlflow.experimentKind. */
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'experiments/set-experiment-tag', { experiment_id: experimentId, key, value });
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
}
