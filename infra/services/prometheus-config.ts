import type { Config } from '../../common/config';
import { parseHostPort } from '../probes';

/** One scrape job: Prometheus reads http://<target>/metrics every scrape interval. */
export interface ScrapeJob {
  job: string;
  target: string;
}

/** How often every target is scraped: often enough to watch a stream run, cheap enough for two cores. */
export const SCRAPE_INTERVAL_SECONDS = 5;

/** A listening host as a client reaches it: a wildcard address means this machine. */
function reachable(host: string, port: number): string {
  const h = ['0.0.0.0', '::', '[::]', ''].includes(host) ? '127.0.0.1' : host;
  return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`;
}

/**
 * What the local Prometheus scrapes: itself, the API, each worker whose metrics port is not 0, and the
 * local Temporal dev server's own metrics (an external server is scraped by whoever runs it).
 */
export function scrapeJobs(config: Config): ScrapeJob[] {
  const jobs: ScrapeJob[] = [
    { job: 'prometheus', target: reachable('127.0.0.1', config.prometheus.port) },
    { job: 'api', target: reachable(config.api.host, config.api.port) },
  ];
  const workers: [string, number][] = [
    ['scoring-worker', config.metrics.scoringPort],
    ['training-worker', config.metrics.trainingPort],
    ['batch-worker', config.metrics.batchPort],
  ];
  for (const [job, port] of workers) if (port > 0) jobs.push({ job, target: reachable(config.metrics.host, port) });
  if (!config.external.temporal && config.temporal.metricsPort > 0) {
    jobs.push({ job: 'temporal', target: reachable(parseHostPort(config.temporal.address).host, config.temporal.metricsPort) });
  }
  return jobs;
}

/** prometheus.yml for the jobs (strings JSON-quoted, which YAML reads as double-quoted scalars). */
export function prometheusYaml(jobs: ScrapeJob[], intervalSeconds = SCRAPE_INTERVAL_SECONDS): string {
  const q = (s: string): string => JSON.stringify(s);
  return [
    '# Written by `npm run stack -- up` (infra/services/prometheus-config.ts) before each start of the',
    '# local Prometheus: change the settings (API_PORT, *_METRICS_PORT, ...), not this file.',
    'global:',
    `  scrape_interval: ${intervalSeconds}s`,
    `  scrape_timeout: ${Math.max(1, intervalSeconds - 1)}s`,
    `  evaluation_interval: ${intervalSeconds}s`,
    'scrape_configs:',
    ...jobs.flatMap(({ job, target }) => [
      `  - job_name: ${q(job)}`,
      '    static_configs:',
      `      - targets: [${q(target)}]`,
    ]),
    '',
  ].join('\n');
}
