import type { ServiceDefinition } from './service';

// TODO(issue 2): provisioning, processes and probe for temporal.
export const temporal: ServiceDefinition = {
  name: 'temporal',
  title: 'temporal',
  urls: () => [],
  tools: [],
  provision: () => Promise.resolve(),
  processes: () => [],
  probe: () => Promise.resolve({ ok: false, detail: 'not implemented' }),
  startTimeoutMs: 60_000,
};
