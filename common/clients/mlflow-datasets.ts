/** A run's dataset inputs (runs/log-inputs) and reading them back. Use MlflowClient from ./mlflow. */
import { MlflowArtifactsClient } from './mlflow-artifacts';

/** A data set as MLflow records it: `schema` and `profile` are JSON texts, `source` says where it came from. */
export interface Dataset {
  name: string;
  /** Identifies this content: the same name and digest is the same data set. */
  digest: string;
  /** e.g. "local", "http". */
  sourceType: string;
  /** JSON, e.g. {"uri": "..."}. */
  source: string;
  /** JSON, e.g. {"mlflow_colspec": [{"type": "string", "name": "Origin", "required": true}]}. */
  schema?: string;
  /** JSON: rows and whatever else describes the data. */
  profile?: string;
}

export interface DatasetInput {
  dataset: Dataset;
  /** e.g. { "mlflow.data.context": "training" }. */
  tags: Record<string, string>;
}

/** The input tag MLflow's UI shows as a data set's role in a run (training, evaluation, …). */
export const datasetContextTag = 'mlflow.data.context';

interface WireDataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}
interface WireDatasetInput {
  dataset: WireDataset;
  tags?: { key: string; value: string }[];
}

export class MlflowDatasetsClient extends MlflowArtifactsClient {
  /** Records data sets as inputs of the run (logging the same name and digest again adds nothing). */
  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    await this.call('POST', 'runs/log-inputs', {
      run_id: runId,
      datasets: inputs.map((i) => ({
        tags: Object.entries(i.tags).map(([key, value]) => ({ key, value })),
        dataset: {
          name: i.dataset.name,
          digest: i.dataset.digest,
          source_type: i.dataset.sourceType,
          source: i.dataset.source,
          schema: i.dataset.schema,
          profile: i.dataset.profile,
        },
      })),
    });
  }

  /** The run's dataset inputs and the logged models it produced (its outputs). */
  async getRunIo(runId: string): Promise<{ datasets: DatasetInput[]; outputModelIds: string[] }> {
    const r = await this.call<{ run: { inputs?: { dataset_inputs?: WireDatasetInput[] }; outputs?: { model_outputs?: { model_id: string }[] } } }>('GET', 'runs/get', { run_id: runId });
    return {
      datasets: (r.run.inputs?.dataset_inputs ?? []).map((i) => ({
        tags: Object.fromEntries((i.tags ?? []).map((t) => [t.key, t.value])),
        dataset: {
          name: i.dataset.name,
          digest: i.dataset.digest,
          sourceType: i.dataset.source_type,
          source: i.dataset.source,
          schema: i.dataset.schema,
          profile: i.dataset.profile,
        },
      })),
      outputModelIds: (r.run.outputs?.model_outputs ?? []).map((m) => m.model_id),
    };
  }
}
