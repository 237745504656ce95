import type { ServiceDefinition } from './service';

// TODO(issue 2): provisioning, processes and probe for hdfs.
export const hdfs: ServiceDefinition = {
  name: 'hdfs',
  title: 'hdfs',
  urls: () => [],
  tools: [],
  provision: () => Promise.resolve(),
  processes: () => [],
  probe: () => Promise.resolve({ ok: false, detail: 'not implemented' }),
  startTimeoutMs: 60_000,
};
