import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folder in which the training activities of one workflow hand files to each other: feature
 * matrices, the fitted pipeline, the forest, the metrics. Only its path travels through Temporal.
 */
export const workFolder = (workDir: string, workflowId: string): string => {
  const dir = join(workDir, workflowId.replace(/[^A-Za-z0-9._-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  return dir;
};

export const files = {
  prepared: 'prepared.json',
  pipeline: 'pipeline.json',
  trainX: 'train-X.f64',
  trainY: 'train-y.u8',
  testX: 'test-X.f64',
  testY: 'test-y.u8',
  /** The held-out flights as they were loaded: another model (the champion) scores them with its own pipeline. */
  testRecords: 'test-records.json',
  forest: 'forest.json',
  model: 'model.json',
  metrics: 'metrics.json',
} as const;

export function writeTyped(dir: string, name: string, array: Float64Array | Uint8Array): void {
  writeFileSync(join(dir, name), Buffer.from(array.buffer, array.byteOffset, array.byteLength));
}

export function readFloat64(dir: string, name: string): Float64Array {
  const b = readFileSync(join(dir, name));
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function readUint8(dir: string, name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(dir, name)));
}

export function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(join(dir, name), JSON.stringify(value));
}

export function readJson<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
}
