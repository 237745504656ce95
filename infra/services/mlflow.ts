import type { ServiceDefinition } from './service';

// TODO(issue 2): provisioning, processes and probe for mlflow.
export const mlflow: ServiceDefinition = {
  name: 'mlflow',
  title: 'mlflow',
  urls: () => [],
  tools: [],
  provision: () => Promise.resolve(),
  processes: () => [],
  probe: () => Promise.resolve({ ok: false, detail: 'not implemented' }),
  startTimeoutMs: 60_000,
};
