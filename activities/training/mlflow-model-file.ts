/**
 * What MLflow is told about a trained model and its data: the `MLmodel` file of the logged model (its
 * flavor and its input/output signature) and the training and evaluation sides of the split as the
 * run's dataset inputs. Pure functions: the activities upload what they return.
 */
import { createHash } from 'node:crypto';
import type { Dataset, DatasetInput } from '../../common/clients/mlflow';
import { datasetContextTag } from '../../common/clients/mlflow';
import { delayClassLabels } from '../../models/features/delay-classes';
import { featureSource, type FeatureName } from '../../models/features/flight-features';
import type { FlightColumn } from '../../models/flight';
import type { PreparedFeatures } from './types';

/** One column of an MLflow column-based schema (mlflow.types.ColSpec as JSON). */
export interface ColSpec {
  type: 'string' | 'double' | 'long';
  name: string;
  required: boolean;
}

const numericColumns: ReadonlySet<FlightColumn> = new Set(['DepDelay', 'Distance', 'ArrDelay', 'DayOfMonth', 'DayOfWeek', 'DayOfYear']);
/** A request names its airports and its date; everything else may be missing (looked up or defaulted). */
const requiredColumns: readonly FlightColumn[] = ['Origin', 'Dest', 'FlightDate'];

/** The request fields the model reads: those its features come from, plus the ones every request has. */
export function inputSchema(features: readonly string[]): ColSpec[] {
  const columns = new Set<FlightColumn>(requiredColumns);
  for (const f of features) {
    const source = (featureSource as Partial<Record<string, FlightColumn>>)[f as FeatureName];
    if (source) columns.add(source);
  }
  return [...columns].map((name) => ({ type: numericColumns.has(name) ? 'double' : 'string', name, required: requiredColumns.includes(name) }));
}

/** What the model answers: the class label and one probability per class. */
export function outputSchema(): ColSpec[] {
  return [
    { type: 'string', name: 'prediction', required: true },
    ...delayClassLabels.map((label, i): ColSpec => ({ type: 'double', name: `probability_${i}`, required: true })),
  ];
}

/** A YAML scalar: JSON strings in single quotes (YAML's '' escape), everything else as JSON. */
const yamlScalar = (v: string | number | boolean): string => (typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v));

/**
 * The logged model's MLmodel file. Its flavor is this project's own (`flight_delay`: a FlightDelayModel
 * as JSON, loaded by models/flight-delay-model.ts); there is no python_function flavor, since the model
 * is scored by this project's TypeScript, not by Python.
 */
export function mlmodelFile(facts: { modelId: string; runId: string; features: readonly string[]; createdAt: Date; mlflowVersion?: string }): string {
  const lines = [
    `artifact_path: ${yamlScalar(`models:/${facts.modelId}`)}`,
    'flavors:',
    '  flight_delay:',
    `    model_file: ${yamlScalar('model.json')}`,
    `    pipeline_file: ${yamlScalar('pipeline.json')}`,
    `    format: ${yamlScalar('FlightDelayModel JSON: a FeaturePipeline and a RandomForestClassifier, each with a type tag and version')}`,
    `    loader: ${yamlScalar('FlightDelayModel.load(JSON.parse(text)) in models/flight-delay-model.ts')}`,
    `    classes: ${yamlScalar(JSON.stringify(delayClassLabels))}`,
    `model_id: ${yamlScalar(facts.modelId)}`,
    `run_id: ${yamlScalar(facts.runId)}`,
    ...(facts.mlflowVersion ? [`mlflow_version: ${yamlScalar(facts.mlflowVersion)}`] : []),
    'signature:',
    `  inputs: ${yamlScalar(JSON.stringify(inputSchema(facts.features)))}`,
    `  outputs: ${yamlScalar(JSON.stringify(outputSchema()))}`,
    '  params: null',
    `utc_time_created: ${yamlScalar(facts.createdAt.toISOString().replace('T', ' ').replace('Z', ''))}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** How the split chose its held-out rows, in words and as a key for digests. */
export function splitDescription(p: Pick<PreparedFeatures, 'split' | 'cutDate'>, testFraction: number, splitSeed: number): string {
  return p.split === 'time' ? `time: train before ${p.cutDate}, test on and after it` : `random: ${testFraction} held out, seed ${splitSeed}`;
}

/**
 * The two sides of the split as MLflow dataset inputs, tagged training and evaluation: the data set's
 * name with the side, a digest of (content, split, side), where it came from, the request fields as
 * schema, and a profile with the rows, the split and the dates each side spans.
 */
export function splitDatasets(p: PreparedFeatures, split: { testFraction: number; splitSeed: number }): DatasetInput[] {
  const description = splitDescription(p, split.testFraction, split.splitSeed);
  const schema = JSON.stringify({ mlflow_colspec: [...inputSchema(p.features), { type: 'double', name: 'ArrDelay', required: true }] });
  const side = (context: 'training' | 'evaluation', rows: number, dates: { first: string; last: string } | undefined): DatasetInput => {
    const suffix = context === 'training' ? 'train' : 'test';
    const dataset: Dataset = {
      name: `${p.dataset}-${suffix}`,
      digest: createHash('sha256').update(`${p.datasetHash}\n${description}\n${context}`).digest('hex').slice(0, 12),
      sourceType: 'local',
      source: JSON.stringify({ uri: p.dataset, sha256: p.datasetHash }),
      schema,
      profile: JSON.stringify({
        rows: rows,
        split: p.split ?? 'random',
        split_rule: description,
        ...(p.cutDate ? { cut_date: p.cutDate } : {}),
        ...(dates ? { first_date: dates.first, last_date: dates.last } : {}),
      }),
    };
    return { dataset, tags: { [datasetContextTag]: context } };
  };
  return [side('training', p.trainRows, p.trainDates), side('evaluation', p.testRows, p.testDates)];
}
