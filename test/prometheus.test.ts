/**
 * Integration test of the stack's Prometheus: ready, scraping the jobs the settings name (with its own
 * metrics up and queryable), and both configurations — the one the stack writes and the one of
 * temporal-docker-compose.yml — accepted by Debian's promtool.
 * Needs the server: `npm run stack -- up prometheus` (or PROMETHEUS_URL).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { config, repoRoot } from '../common/config';
import { prometheus } from '../infra/services/prometheus';
import { scrapeJobs } from '../infra/services/prometheus-config';

interface Target {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

describe('prometheus', () => {
  const cfg = config();
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${cfg.prometheus.url}${path}`, { signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 200, `${path} answered ${res.status}`);
    const body = (await res.json()) as { status: string; data: T };
    assert.equal(body.status, 'success');
    return body.data;
  };

  it('the stack probe finds it ready', async () => {
    const r = await prometheus.probe(cfg);
    assert.ok(r.ok, r.detail);
    assert.match(r.detail, /^Prometheus .*ready/);
  });

  it('scrapes the jobs the settings name: itself, the API, the workers and Temporal', { skip: cfg.external.prometheus && 'PROMETHEUS_URL: not configured by the stack' }, async () => {
    const configured = scrapeJobs(cfg).map((j) => `${j.job} ${j.target}`).sort();
    let scraped: string[] = [];
    // Right after a start the targets are being discovered: the list fills within a second or so.
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(500)) {
      const { activeTargets } = await api<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
      scraped = activeTargets.map((t) => `${t.labels.job} ${t.labels.instance}`).sort();
      if (scraped.length >= configured.length) break;
    }
    assert.deepEqual(scraped, configured);
    for (const job of ['prometheus', 'api', 'scoring-worker', 'training-worker', 'batch-worker']) {
      assert.ok(scraped.some((s) => s.startsWith(`${job} `)), `no ${job} job`);
    }
  });

  it('has scraped its own metrics (target up, `up` is 1, samples stored)', async () => {
    const self = `127.0.0.1:${cfg.prometheus.port}`;
    let last: Target | undefined;
    // A first scrape happens within one interval (5 s) of the start.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(500)) {
      const { activeTargets } = await api<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
      last = activeTargets.find((t) => t.labels.job === 'prometheus');
      if (last?.health === 'up') break;
    }
    assert.equal(last?.health, 'up', `its own target is ${last?.health ?? 'missing'} ${last?.lastError ?? ''}`);
    const query = cfg.external.prometheus ? 'up{job="prometheus"}' : `up{job="prometheus",instance="${self}"}`;
    const up = await api<{ result: { value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(query)}`);
    assert.equal(up.result[0]?.value[1], '1');
    const samples = await api<{ result: { value: [number, string] }[] }>(
      `/api/v1/query?query=${encodeURIComponent('prometheus_tsdb_head_samples_appended_total')}`,
    );
    assert.ok(Number(samples.result[0]?.value[1]) > 0, 'no samples appended');
  });

  it("Debian's promtool accepts the stack's and the compose file's configurations", { skip: cfg.external.prometheus && 'PROMETHEUS_URL: no local promtool' }, () => {
    const promtool = join(cfg.stack.home, 'prometheus', 'debian', 'usr', 'bin', 'promtool');
    assert.ok(existsSync(promtool), `${promtool} is missing: run npm run stack -- up prometheus`);
    for (const file of [
      join(cfg.stack.dataDir, 'data', 'prometheus', 'prometheus.yml'),
      join(repoRoot, 'infra', 'config', 'prometheus', 'prometheus.yml'),
    ]) {
      const out = execFileSync(promtool, ['check', 'config', file], { encoding: 'utf8' });
      assert.match(out, /SUCCESS/, out);
    }
  });
});
