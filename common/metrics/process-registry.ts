import { collectDefaultMetrics, Registry } from 'prom-client';

/** The processes that serve /metrics: the `process` label on every series of theirs. */
export type MetricsProcess = 'api' | 'scoring-worker' | 'training-worker' | 'batch-worker' | 'outcomes-worker';

/**
 * A prom-client registry of one process: Node's process metrics (CPU, memory, event loop lag, GC,
 * handles) and every series labelled `process="<name>"`, so that one PromQL query can tell the API's
 * series from a worker's when both are scraped.
 */
export function createProcessRegistry(name: MetricsProcess): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process: name });
  collectDefaultMetrics({ register: registry });
  return registry;
}
