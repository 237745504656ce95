import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, repoRoot } from '../../common/config';
import { prometheusYaml, scrapeJobs } from './prometheus-config';

describe('the local Prometheus configuration', () => {
  it('scrapes itself, the API, the three workers and the Temporal dev server on their default ports', () => {
    assert.deepEqual(scrapeJobs(loadConfig({})), [
      { job: 'prometheus', target: '127.0.0.1:9090' },
      { job: 'api', target: '127.0.0.1:3000' },
      { job: 'scoring-worker', target: '127.0.0.1:9464' },
      { job: 'training-worker', target: '127.0.0.1:9465' },
      { job: 'batch-worker', target: '127.0.0.1:9466' },
      { job: 'temporal', target: '127.0.0.1:8234' },
    ]);
  });

  it('follows the settings: a port of 0 is not scraped, a wildcard host is this machine, an external Temporal is left out', () => {
    const jobs = scrapeJobs(
      loadConfig({ API_HOST: '0.0.0.0', API_PORT: '3100', METRICS_HOST: '::1', TRAINING_METRICS_PORT: '0', PROMETHEUS_PORT: '9190', TEMPORAL_ADDRESS: 'temporal.example.com:7233' }),
    );
    assert.deepEqual(jobs, [
      { job: 'prometheus', target: '127.0.0.1:9190' },
      { job: 'api', target: '127.0.0.1:3100' },
      { job: 'scoring-worker', target: '[::1]:9464' },
      { job: 'batch-worker', target: '[::1]:9466' },
    ]);
  });

  it('writes one static job per target, scraped every 5 s', () => {
    const yaml = prometheusYaml([{ job: 'api', target: '127.0.0.1:3000' }]);
    assert.match(yaml, /^ {2}scrape_interval: 5s$/m);
    assert.match(yaml, /^ {2}- job_name: "api"\n {4}static_configs:\n {6}- targets: \["127\.0\.0\.1:3000"\]$/m);
  });
});

describe("temporal-docker-compose.yml's Prometheus configuration", () => {
  it('scrapes the same jobs on the same default ports as the local stack', () => {
    const text = readFileSync(join(repoRoot, 'infra', 'config', 'prometheus', 'prometheus.yml'), 'utf8');
    const jobs = [...text.matchAll(/job_name: "([^"]+)"\n\s+static_configs:\n\s+- targets: \["([^"]+)"\]/g)].map(([, job, target]) => ({ job, target }));
    assert.deepEqual(jobs, scrapeJobs(loadConfig({})));
  });
});
