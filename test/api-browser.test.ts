import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../common/config';
import { delayClassLabels } from '../models/features/delay-classes';
import type { Api } from '../api/app';
import { startApiUnderTest, startStreamUnderTest, type StreamUnderTest } from './support/stream-under-test';
import type { Db } from 'mongodb';
import { MONGO_DB } from '../api/tokens';
import { mongoNames } from '../common/names';
import { monitoringDocumentId, type ModelEvent, type MonitoringDocument } from '../common/contracts/monitoring';

/** Waits until `expression` is true in the page, asking it through the DevTools protocol (not subject to the page's CSP). */
async function waitForPage(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const seedFlight = { DepDelay: 5, Carrier: 'AA', FlightDate: '2016-12-25', Origin: 'ATL', Dest: 'SFO', FlightNum: '1519' };
const resultsDir = join(repoRoot, 'test-results');

/**
 * The web pages in a real Chromium (playwright-core; `npm test` finds or installs the browser and passes
 * CHROMIUM_PATH) against the API on the real stack, with a stream of its own as in api.test.ts.
 */
describe('the web pages in a browser', () => {
  let stream: StreamUnderTest;
  let api: Api;
  let browser: Browser;
  let base: string;

  before(async () => {
    assert.ok(process.env.CHROMIUM_PATH, 'CHROMIUM_PATH is not set: run the browser tests with `npm test -- api-browser`');
    mkdirSync(resultsDir, { recursive: true });
    stream = await startStreamUnderTest('browser');
    ({ api, base } = await startApiUnderTest(stream));
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await stream?.stop();
  });

  /** Runs `use` on a fresh page of the app, then checks that the page's scripts threw nothing uncaught; closes the page either way. */
  const onPage = async (path: string, use: (page: Page) => Promise<void>): Promise<void> => {
    const page = await browser.newPage({ baseURL: base, viewport: { width: 1100, height: 1000 } });
    const pageErrors: string[] = [];
    const blocked: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // Chromium reports what the content security policy blocked as console errors.
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    try {
      const response = await page.goto(path);
      assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/, `${path} is served with the content security policy`);
      await use(page);
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(blocked, [], 'nothing of the page was blocked by the content security policy');
    } finally {
      await page.close();
    }
  };

  it('predicts from the form with its default values and shows the result in well under a second', async () => {
    await onPage('/', async (page) => {
      for (const [id, value] of Object.entries({ DepDelay: '5', Carrier: 'AA', FlightDate: '2016-12-25', Origin: 'ATL', Dest: 'SFO' })) {
        assert.equal(await page.inputValue(`#${id}`), value, `default of #${id}`);
      }
      await page.click('#predict');
      await page.waitForSelector('#result[data-state="done"]', { timeout: 15_000 });
      const label = (await page.textContent('#prediction-label'))?.trim() ?? '';
      assert.ok((delayClassLabels as readonly string[]).includes(label), `a class label, got "${label}"`);
      const elapsedText = (await page.textContent('#elapsed-ms'))?.trim() ?? '';
      const elapsed = Number(elapsedText);
      assert.ok(elapsedText !== '' && Number.isFinite(elapsed), `#elapsed-ms is a number, got "${elapsedText}"`);
      assert.ok(elapsed < 1000, `submit to result in ${elapsed} ms; expected well under a second`);
      const bars = await page.locator('#prob-bars .bar-value').allTextContents();
      assert.equal(bars.length, 4, `4 probability bars, got ${JSON.stringify(bars)}`);
      for (const b of bars) assert.match(b.trim(), /^\d{1,3}(\.\d)?%$/);
      assert.ok(Math.abs(bars.reduce((sum, b) => sum + parseFloat(b), 0) - 100) < 0.5, `the bars add up to 100%: ${bars.join(', ')}`);
      await page.screenshot({ path: join(resultsDir, 'prediction-form.png'), fullPage: true });
    });
  });

  it('shows a bad input (Origin = Dest) in the field slot of Dest', async () => {
    await onPage('/', async (page) => {
      await page.fill('#Dest', 'ATL');
      await page.click('#predict');
      await page.waitForSelector('#result[data-state="error"]', { timeout: 15_000 });
      const message = (await page.textContent('[data-error-for="Dest"]'))?.trim() ?? '';
      assert.match(message, /same airport as Origin/);
      assert.equal(await page.getAttribute('#Dest', 'aria-invalid'), 'true');
    });
  });

  it('shows the API documentation (Swagger UI) under the content security policy', async () => {
    await onPage('/docs', async (page) => {
      await page.waitForSelector('.swagger-ui .opblock', { timeout: 15_000 });
      const operations = await page.locator('.swagger-ui .opblock').count();
      assert.ok(operations >= 20, `every route listed (${operations})`);
      assert.ok(await page.locator('.swagger-ui .opblock-summary-path', { hasText: '/api/predictions' }).first().isVisible());
    });
  });

  it('updates the dashboard live as predictions come in', async () => {
    await onPage('/dashboard.html', async (page) => {
      await page.waitForSelector('#conn-status.ok', { timeout: 15_000 });
      const posted = await Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(`${base}/api/predictions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(seedFlight) }),
        ),
      );
      assert.deepEqual(posted.map((r) => r.status), Array<number>(20).fill(202));
      // Evaluated in the page (a string: the project's TypeScript has no DOM types).
      // Polled from here: waitForFunction evaluates its string with eval in the page, which the content security policy forbids.
      await waitForPage(page, "Number(document.getElementById('total').textContent) >= 20 && document.querySelectorAll('#latest tr.pred-row').length >= 1", 15_000);
      const rows = await page.locator('#latest tr.pred-row').allTextContents();
      assert.ok(rows.some((r) => r.includes('ATL-SFO')), `a row for ATL-SFO in ${JSON.stringify(rows.slice(0, 3))}`);
      assert.equal(await page.locator('#class-bars .bar-row').count(), 4);
      await page.waitForSelector('#champion dl.facts', { timeout: 15_000 });
      await page.screenshot({ path: join(resultsDir, 'dashboard.png'), fullPage: true });
    });
  });

  it("shows live accuracy per flight date and version from the monitor's windows", async () => {
    const windows = api.app.get<Db>(MONGO_DB).collection<MonitoringDocument>(mongoNames.modelMonitoring);
    // Dates no replay uses, so that they are the latest only if nothing else was monitored; removed after.
    const docs = ['1999-12-30', '1999-12-31'].flatMap((FlightDate, d) =>
      ['1', '2'].map((ModelVersion, v): MonitoringDocument => {
        const w = {
          FlightDate,
          Source: 'realtime' as const,
          ModelVersion,
          Role: 'champion' as const,
          Rows: 100 + d,
          Accuracy: 0.5 + 0.05 * v - 0.04 * d,
          WeightedF1: 0.5,
          LogLoss: 1.1,
          ECE: 0.05,
          Confusion: Array<number>(16).fill(0),
          PredictedShare: [0.25, 0.25, 0.25, 0.25],
          ActualShare: [0.25, 0.25, 0.25, 0.25],
          HeldOutAccuracy: 0.53,
          PredictedClassPSI: 0.01,
          ActualClassPSI: 0.3,
          FeatureDrift: [{ Feature: 'DepDelay', PSI: 0.04 + 0.1 * d }, { Feature: 'Distance', PSI: 0.02 }],
          MlflowRunId: null,
          ComputedAt: new Date().toISOString(),
        };
        return { _id: monitoringDocumentId(w), ...w };
      }),
    );
    await windows.insertMany(docs);
    // A retraining the monitor started, as model_events keeps it.
    const events = api.app.get<Db>(MONGO_DB).collection<ModelEvent>(mongoNames.modelEvents);
    const event: ModelEvent = {
      _id: '1999-12-31T23:59:59.000Z:retraining', Kind: 'retraining', At: '1999-12-31T23:59:59.000Z', ChampionVersion: '2', Version: null,
      Reasons: ['DepDelay drifted on 1999-12-31 (realtime): PSI 0.340 > 0.25'], Evidence: {} as ModelEvent['Evidence'],
      WorkflowId: 'flight-delay-retraining', WorkflowRunId: 'run-1', Status: 'started',
    };
    await events.insertOne(event);
    try {
      const latest = (await (await fetch(`${base}/api/monitoring?days=14`)).json()) as MonitoringDocument[];
      const ours = latest.filter((w) => w.FlightDate.startsWith('1999-12-3'));
      await onPage('/dashboard.html', async (page) => {
        await waitForPage(page, "document.querySelectorAll('#monitoring-rows tr.monitoring-row').length >= 1", 15_000);
        const rows = await page.locator('#monitoring-rows tr.monitoring-row').allTextContents();
        if (ours.length === 4) assert.ok(rows.some((r) => r.includes('1999-12-31') && r.includes('51.0%') && r.includes('53.0%')), `a row of 1999-12-31, version 2, in ${JSON.stringify(rows.slice(0, 4))}`);
        else assert.ok(rows.length >= 1, 'the newer dates monitored on this stack are shown');
        // The drift per feature of the latest date with drift measured: ours, unless this stack monitored later dates.
        const latestMeasured = latest.filter((w) => (w.FeatureDrift ?? []).length > 0).map((w) => w.FlightDate).sort().pop();
        await waitForPage(page, "document.querySelectorAll('#drift-rows tr.drift-row').length >= 2", 15_000);
        assert.equal(await page.locator('#drift-date').textContent(), latestMeasured);
        const drift = await page.locator('#drift-rows tr.drift-row').allTextContents();
        if (latestMeasured === '1999-12-31') assert.ok(drift.some((r) => r.includes('DepDelay') && r.includes('0.140')), JSON.stringify(drift));
        await waitForPage(page, "document.querySelectorAll('#event-rows tr.event-row').length >= 1", 15_000);
        const shown = await page.locator('#event-rows tr.event-row').allTextContents();
        assert.ok(shown.some((r) => r.includes('DepDelay drifted on 1999-12-31') && r.includes('flight-delay-retraining')), JSON.stringify(shown.slice(0, 3)));
        await page.screenshot({ path: join(resultsDir, 'dashboard-live-accuracy.png'), fullPage: true });
      });
    } finally {
      await events.deleteOne({ _id: event._id });
      await windows.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
    }
  });
});
