/**
 * MLflow 3's logged models: a model with its own id, artifacts (an MLmodel file and the model's files),
 * params and status, produced by a run (runs/outputs) and registrable as a model version. Use
 * MlflowClient from ./mlflow.
 */
import { checkPath, proxiedArtifactPath, proxyUrl } from './mlflow-artifacts';
import { MlflowDatasetsClient } from './mlflow-datasets';
import { MlflowError } from './mlflow-registry';

export type LoggedModelStatus = 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';

export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  artifactUri: string;
  status: LoggedModelStatus;
  modelType?: string;
  sourceRunId?: string;
  tags: Record<string, string>;
  params: Record<string, string>;
}

interface WireLoggedModel {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    artifact_uri: string;
    status: LoggedModelStatus;
    model_type?: string;
    source_run_id?: string;
    tags?: { key: string; value: string }[];
  };
  data?: { params?: { key: string; value: string }[] };
}

const kv = (r: Record<string, string> | undefined): { key: string; value: string }[] => Object.entries(r ?? {}).map(([key, value]) => ({ key, value }));
const rec = (l: { key: string; value: string }[] | undefined): Record<string, string> => Object.fromEntries((l ?? []).map((t) => [t.key, t.value]));

const loggedModel = (m: WireLoggedModel): LoggedModel => ({
  modelId: m.info.model_id,
  experimentId: m.info.experiment_id,
  name: m.info.name,
  artifactUri: m.info.artifact_uri,
  status: m.info.status,
  modelType: m.info.model_type || undefined,
  sourceRunId: m.info.source_run_id || undefined,
  tags: rec(m.info.tags),
  params: rec(m.data?.params),
});

const statusNumber: Record<LoggedModelStatus, number> = { LOGGED_MODEL_PENDING: 1, LOGGED_MODEL_READY: 2, LOGGED_MODEL_UPLOAD_FAILED: 3 };

export class MlflowLoggedModelsClient extends MlflowDatasetsClient {
  /** Creates a logged model (status PENDING until finalized) in the experiment, produced by `sourceRunId`. */
  async createLoggedModel(
    experimentId: string,
    opts: { name: string; modelType?: string; sourceRunId?: string; params?: Record<string, string>; tags?: Record<string, string> },
  ): Promise<LoggedModel> {
    const r = await this.call<{ model: WireLoggedModel }>('POST', 'logged-models', {
      experiment_id: experimentId,
      name: opts.name,
      model_type: opts.modelType,
      source_run_id: opts.sourceRunId,
      params: kv(opts.params),
      tags: kv(opts.tags),
    });
    return loggedModel(r.model);
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    const r = await this.call<{ model: WireLoggedModel }>('GET', `logged-models/${encodeURIComponent(modelId)}`);
    return loggedModel(r.model);
  }

  /** Logged models of the experiments matching a filter, e.g. "source_run_id = '…'". */
  async searchLoggedModels(experimentIds: string[], filter = ''): Promise<LoggedModel[]> {
    const r = await this.call<{ models?: WireLoggedModel[] }>('POST', 'logged-models/search', { experiment_ids: experimentIds, filter, max_results: 100 });
    return (r.models ?? []).map(loggedModel);
  }

  /** Marks the model READY (its artifacts are all uploaded) or UPLOAD_FAILED. */
  async finalizeLoggedModel(modelId: string, status: Exclude<LoggedModelStatus, 'LOGGED_MODEL_PENDING'> = 'LOGGED_MODEL_READY'): Promise<LoggedModel> {
    // The handler checks for the enum's number (LoggedModelStatus in service.proto); it answers with its name.
    const r = await this.call<{ model: WireLoggedModel }>('PATCH', `logged-models/${encodeURIComponent(modelId)}`, { model_id: modelId, status: statusNumber[status] });
    return loggedModel(r.model);
  }

  /** Uploads a file among the logged model's artifacts (through the server's artifact proxy). */
  async uploadLoggedModelArtifact(model: Pick<LoggedModel, 'modelId' | 'artifactUri'>, path: string, content: string | Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
    await this.send('PUT', proxyUrl(this.loggedModelRoot(model), checkPath(path)), { body: content, headers: { 'Content-Type': contentType } });
  }

  async downloadLoggedModelArtifact(model: Pick<LoggedModel, 'modelId' | 'artifactUri'>, path: string): Promise<Buffer> {
    const res = await this.send('GET', proxyUrl(this.loggedModelRoot(model), checkPath(path)));
    return Buffer.from(await res.arrayBuffer());
  }

  /** Records the logged models as outputs of the run: the run page and the runs table show them. */
  async logOutputs(runId: string, modelIds: string[], step = 0): Promise<void> {
    await this.call('POST', 'runs/outputs', { run_id: runId, models: modelIds.map((model_id) => ({ model_id, step })) });
  }

  private loggedModelRoot(model: Pick<LoggedModel, 'modelId' | 'artifactUri'>): string {
    const root = proxiedArtifactPath(model.artifactUri);
    if (!root) {
      throw new MlflowError('artifacts', 0, 'ARTIFACTS_NOT_PROXIED', `logged model ${model.modelId} stores its artifacts at ${model.artifactUri}, which this client cannot reach: the tracking server must run with --serve-artifacts.`);
    }
    return root;
  }
}
