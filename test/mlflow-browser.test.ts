/**
 * MLflow's web UI in a real Chromium (playwright-core; `npm test -- mlflow-browser` passes CHROMIUM_PATH)
 * against the stack's MLflow: an experiment marked as the training activities mark theirs opens, from
 * the link they hand out, on the runs table with the evaluation metrics as columns.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createMlflowClient } from '../common/clients/mlflow';
import { experimentUrl, markModelTrainingExperiment } from '../common/clients/mlflow-ui';
import { config, repoRoot } from '../common/config';

describe("MLflow's UI in a browser", () => {
  const client = createMlflowClient(config());
  const name = `test-mlflow-ui-${Date.now()}`;
  let experimentId: string | undefined;
  let browser: Browser;

  before(async () => {
    assert.ok(process.env.CHROMIUM_PATH, 'CHROMIUM_PATH is not set: run the browser tests with `npm test -- mlflow-browser`');
    experimentId = await client.createExperiment(name);
    await markModelTrainingExperiment(client, experimentId);
    const run = await client.createRun(experimentId, { runName: 'ui-check' });
    await client.logBatch(run.info.runId, { metrics: [{ key: 'accuracy', value: 0.5312 }, { key: 'ece', value: 0.0417 }], params: { split: 'time' } });
    await client.updateRun(run.info.runId, 'FINISHED');
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    if (experimentId) await client.deleteExperiment(experimentId);
  });

  it('opens the experiment on its runs table, accuracy a column with the run\'s value', async () => {
    assert.ok(experimentId);
    // A fresh browser: MLflow's UI mode is per browser, GenAI unless the link says otherwise.
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    try {
      await page.goto(experimentUrl(client.baseUrl, experimentId));
      const header = page.locator('[role="columnheader"]', { hasText: /^accuracy$/ });
      await header.first().waitFor({ timeout: 30_000 });
      assert.match(page.url(), new RegExp(`#/experiments/${experimentId}/runs\\?`), 'the runs tab, not the GenAI overview');
      await page.locator('[role="gridcell"]', { hasText: /^0\.5312$/ }).first().waitFor({ timeout: 10_000 });
      assert.ok(await page.locator('[role="columnheader"]', { hasText: /^ece$/ }).first().isVisible());
      assert.equal(await page.getByText('ui-check').count() > 0, true, 'the run is listed by name');
      mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(repoRoot, 'test-results', 'mlflow-runs.png') });
    } finally {
      await page.close();
    }
  });
});
