/** What one MLflow runs/log-batch request may hold, and the splitting of a larger batch into such requests. */

export type KV = { key: string; value: string };

export interface Metric {
  key: string;
  value: number;
  /** Milliseconds since the epoch; defaults to now. */
  timestamp?: number;
  step?: number;
}

/** MLflow's limits for one runs/log-batch request. */
export const batchLimits = { metrics: 1000, params: 100, tags: 100, entities: 1000, bytes: 900_000 } as const;

/** Splits a batch into log-batch requests within MLflow's limits (per kind, per request, and in bytes). */
export function chunkBatch(
  metrics: Required<Metric>[],
  params: KV[],
  tags: KV[],
): { metrics: Required<Metric>[]; params: KV[]; tags: KV[] }[] {
  const chunks: { metrics: Required<Metric>[]; params: KV[]; tags: KV[] }[] = [];
  let cur = { metrics: [] as Required<Metric>[], params: [] as KV[], tags: [] as KV[] };
  let bytes = 0;
  const add = <K extends 'metrics' | 'params' | 'tags'>(kind: K, item: (typeof cur)[K][number]): void => {
    const size = JSON.stringify(item).length + 1;
    const count = cur.metrics.length + cur.params.length + cur.tags.length;
    if (cur[kind].length >= batchLimits[kind] || count >= batchLimits.entities || (count > 0 && bytes + size > batchLimits.bytes)) {
      chunks.push(cur);
      cur = { metrics: [], params: [], tags: [] };
      bytes = 0;
    }
    (cur[kind] as (typeof item)[]).push(item);
    bytes += size;
  };
  for (const p of params) add('params', p);
  for (const t of tags) add('tags', t);
  for (const m of metrics) add('metrics', m);
  if (cur.metrics.length + cur.params.length + cur.tags.length > 0) chunks.push(cur);
  return chunks;
}

export function kvs(r: Record<string, string> | undefined): KV[] {
  return Object.entries(r ?? {}).map(([key, value]) => ({ key, value }));
}

