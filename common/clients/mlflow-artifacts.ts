/** Artifacts of runs, through the MLflow server's artifact proxy. Use MlflowClient from ./mlflow. */
import { MlflowError } from './mlflow-registry';
import { MlflowTrackingClient } from './mlflow-tracking';

export interface ArtifactFile {
  /** Relative to the run's artifact root, e.g. "model/forest.json". */
  path: string;
  isDir: boolean;
  fileSize?: number;
}

export class MlflowArtifactsClient extends MlflowTrackingClient {
  /** Artifact root of each run, as a path under the server's artifact proxy. */
  private readonly artifactRoots = new Map<string, string>();

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
    return proxyUrl(root, path);
  }

  /** mlflow-artifacts:/1/<runId>/artifacts (or mlflow-artifacts://host:port/1/...) → 1/<runId>/artifacts */
  private async artifactRoot(runId: string): Promise<string> {
    let root = this.artifactRoots.get(runId);
    if (root === undefined) {
      const uri = (await this.getRun(runId)).info.artifactUri;
      const proxied = proxiedArtifactPath(uri);
      if (!proxied) {
        throw new MlflowError(
          'artifacts',
          0,
          'ARTIFACTS_NOT_PROXIED',
          `run ${runId} stores its artifacts at ${uri}, which this client cannot reach: ` +
            'the tracking server must run with --serve-artifacts and the experiment use its default artifact location.',
        );
      }
      root = proxied;
      this.artifactRoots.set(runId, root);
    }
    return root;
  }
}

/** mlflow-artifacts:/1/<runId>/artifacts (or mlflow-artifacts://host:port/1/...) → 1/<runId>/artifacts; undefined for another store. */
export function proxiedArtifactPath(uri: string): string | undefined {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*?)\/*$/.exec(uri);
  return m?.[1] || undefined;
}

/** The artifact proxy's URL path of a file under a proxied root. */
export const proxyUrl = (root: string, path: string): string =>
  `/api/2.0/mlflow-artifacts/artifacts/${(path ? `${root}/${path}` : root).split('/').map(encodeURIComponent).join('/')}`;

export function checkPath(path: string): string {
  const p = path.replace(/^\/+|\/+$/g, '');
  if (!p || p.split('/').some((s) => s === '' || s === '.' || s === '..')) throw new Error(`bad artifact path '${path}'`);
  return p;
}
