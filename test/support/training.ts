import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../common/config';

/**
 * Settings for tests of the training workflow: their own MLflow experiment and registered model, and
 * temporary model store and work folders, so a test never moves the champion of a real deployment.
 * `env` is the same as variables, for worker processes the test starts.
 */
export function trainingTestSettings(label: string): { cfg: Config; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), `training-${label}-`));
  const suffix = `${label}-${Date.now()}`;
  const env = {
    MLFLOW_EXPERIMENT: `flight-delay-test-${suffix}`,
    MLFLOW_REGISTERED_MODEL: `flight-delay-classifier-test-${suffix}`,
    MODEL_STORE_DIR: join(root, 'model-store'),
    TRAINING_HDFS_DIR: `/tmp/test-training-${suffix}`,
  };
  return { cfg: loadConfig({ ...process.env, ...env }), env };
}
