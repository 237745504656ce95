import type { ServiceDefinition } from './service';

// TODO(issue 2): provisioning, processes and probe for kafka.
export const kafka: ServiceDefinition = {
  name: 'kafka',
  title: 'kafka',
  urls: () => [],
  tools: [],
  provision: () => Promise.resolve(),
  processes: () => [],
  probe: () => Promise.resolve({ ok: false, detail: 'not implemented' }),
  startTimeoutMs: 60_000,
};
