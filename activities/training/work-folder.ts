import type { WebHdfsClient } from '../../common/clients/webhdfs';

/**
 * The folder on HDFS in which the training activities of one workflow hand files to each other: feature
 * matrices, the fitted pipeline, the estimator, the metrics. Only its path travels through Temporal, and
 * any training worker on any machine can run any step (a step retried on another machine goes on from
 * the files the steps before it wrote).
 */
export class WorkFolder {
  constructor(
    private readonly hdfs: WebHdfsClient,
    /** An absolute HDFS path. */
    readonly path: string,
  ) {}

  /** The folder of one workflow under `baseDir` (TRAINING_HDFS_DIR). */
  static forWorkflow(hdfs: WebHdfsClient, baseDir: string, workflowId: string): WorkFolder {
    return new WorkFolder(hdfs, `${baseDir.replace(/\/+$/, '')}/${workflowId.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  }

  async write(name: string, data: string | Uint8Array): Promise<void> {
    await this.hdfs.create(this.file(name), data, { overwrite: true });
  }

  writeJson(name: string, value: unknown): Promise<void> {
    return this.write(name, JSON.stringify(value));
  }

  writeTyped(name: string, array: Float64Array | Uint8Array): Promise<void> {
    return this.write(name, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  read(name: string): Promise<Buffer> {
    return this.hdfs.open(this.file(name));
  }

  async readText(name: string): Promise<string> {
    return (await this.read(name)).toString('utf8');
  }

  async readJson<T>(name: string): Promise<T> {
    return JSON.parse(await this.readText(name)) as T;
  }

  async readFloat64(name: string): Promise<Float64Array> {
    const b = await this.read(name);
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }

  async readUint8(name: string): Promise<Uint8Array> {
    return new Uint8Array(await this.read(name));
  }

  /** Removes the folder and everything in it. */
  async remove(): Promise<void> {
    await this.hdfs.delete(this.path, { recursive: true });
  }

  private file(name: string): string {
    return `${this.path}/${name}`;
  }
}

export const files = {
  prepared: 'prepared.json',
  pipeline: 'pipeline.json',
  trainX: 'train-X.f64',
  trainY: 'train-y.u8',
  testX: 'test-X.f64',
  testY: 'test-y.u8',
  /** The held-out flights as they were loaded: another model (the champion) scores them with its own pipeline. */
  testRecords: 'test-records.json',
  /** Each feature's distribution on the training rows (models/feature-profile.ts), kept in the model. */
  featureProfile: 'feature-profile.json',
  /** The fitted estimator with its tag ({ estimator, model }, as in model.json). */
  estimator: 'estimator.json',
  model: 'model.json',
  metrics: 'metrics.json',
  /** The MLflow logged model logResults made of this run's model: { modelId, artifactUri }. */
  loggedModel: 'logged-model.json',
} as const;
