import type { ServiceDefinition } from './service';

// TODO(issue 2): provisioning, processes and probe for mongo.
export const mongo: ServiceDefinition = {
  name: 'mongo',
  title: 'mongo',
  urls: () => [],
  tools: [],
  provision: () => Promise.resolve(),
  processes: () => [],
  probe: () => Promise.resolve({ ok: false, detail: 'not implemented' }),
  startTimeoutMs: 60_000,
};
