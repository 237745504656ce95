// The dashboard's live-accuracy card: the monitor's windows (GET /api/monitoring) charted and tabled, the latest
// date's drift per feature, and the monitor's retrainings and promotions (GET /api/monitoring/events).
// Loaded after dashboard.js, whose element and number helpers it uses.
'use strict';

const MONITORING_REFRESH_MS = 30_000;
const SERIES_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

async function loadMonitoring() {
  try {
    const [res, events] = await Promise.all([
      fetch('/api/monitoring?days=14', { headers: { Accept: 'application/json' } }),
      fetch('/api/monitoring/events?limit=20', { headers: { Accept: 'application/json' } }),
    ]);
    if (res.ok) renderMonitoring(await res.json());
    if (events.ok) renderEvents(await events.json());
  } catch {
    // The next refresh tries again.
  }
}

function renderMonitoring(windows) {
  const tbody = $('monitoring-rows');
  if (!Array.isArray(windows) || windows.length === 0) return;
  const fmt3 = (v) => (isNum(v) ? Number(v).toFixed(3) : '—');
  tbody.replaceChildren(...windows.slice().reverse().map((w) => el('tr', { class: 'monitoring-row' },
    el('td', {}, w.FlightDate), el('td', {}, w.Source), el('td', { class: 'mono' }, w.ModelVersion), el('td', {}, w.Role),
    el('td', { class: 'num' }, fmtInt(w.Rows)), el('td', { class: 'num' }, fmtPct(w.Accuracy)),
    el('td', { class: 'num' }, isNum(w.HeldOutAccuracy) ? fmtPct(w.HeldOutAccuracy) : '—'), el('td', { class: 'num' }, fmt3(w.WeightedF1)),
    el('td', { class: 'num' }, fmt3(w.PredictedClassPSI)), el('td', { class: 'num' }, fmt3(w.ActualClassPSI)))));
  drawAccuracyChart(windows);
  renderDrift(windows);
}

// Each feature's PSI in every window of the latest flight date that has drift measured: one column per window.
function renderDrift(windows) {
  const measured = windows.filter((w) => Array.isArray(w.FeatureDrift) && w.FeatureDrift.length > 0);
  if (measured.length === 0) return;
  const latest = measured.map((w) => w.FlightDate).sort().pop();
  const cols = measured.filter((w) => w.FlightDate === latest);
  $('drift-date').textContent = latest;
  $('drift-head').replaceChildren(el('tr', {}, el('th', {}, 'Feature'), ...cols.map((w) => el('th', {}, `v${w.ModelVersion} ${w.Source}${w.Role === 'challenger' ? ' (challenger)' : ''}`))));
  const features = [...new Set(cols.flatMap((w) => w.FeatureDrift.map((d) => d.Feature)))];
  $('drift-rows').replaceChildren(...features.map((f) => el('tr', { class: 'drift-row' },
    el('td', { class: 'mono' }, f),
    ...cols.map((w) => {
      const d = w.FeatureDrift.find((x) => x.Feature === f);
      return el('td', { class: d && d.PSI > 1 ? 'num warn' : 'num' }, d ? d.PSI.toFixed(3) : '—');
    }))));
}

function renderEvents(events) {
  if (!Array.isArray(events) || events.length === 0) return;
  $('event-rows').replaceChildren(...events.map((e) => el('tr', { class: 'event-row' },
    el('td', { class: 'mono' }, e.At.replace('T', ' ').slice(0, 19)), el('td', {}, e.Kind), el('td', { class: 'mono' }, `v${e.ChampionVersion}`),
    el('td', { class: 'mono' }, e.Version ? `v${e.Version}` : '—'), el('td', {}, e.WorkflowId ? `${e.Status} (${e.WorkflowId})` : e.Status),
    el('td', {}, e.Reasons.join('; ')))));
}

// One line of live accuracy per version and source over the flight dates, the held-out accuracy dashed beside it.
function drawAccuracyChart(windows) {
  const canvas = $('live-accuracy-chart');
  const ctx = canvas.getContext('2d');
  const dates = [...new Set(windows.map((w) => w.FlightDate))].sort();
  const series = new Map();
  for (const w of windows) {
    const key = `v${w.ModelVersion} ${w.Source}${w.Role === 'challenger' ? ' (challenger)' : ''}`;
    if (!series.has(key)) series.set(key, { points: [], heldOut: w.HeldOutAccuracy });
    series.get(key).points.push([dates.indexOf(w.FlightDate), w.Accuracy]);
  }
  const W = canvas.width, H = canvas.height, left = 40, right = 170, top = 10, bottom = 24;
  const x = (i) => left + (dates.length === 1 ? (W - left - right) / 2 : (i * (W - left - right)) / (dates.length - 1));
  const y = (a) => top + (1 - a) * (H - top - bottom);
  ctx.clearRect(0, 0, W, H);
  ctx.font = '11px sans-serif';
  ctx.strokeStyle = '#e5e7eb';
  ctx.fillStyle = '#6b7280';
  for (const a of [0, 0.25, 0.5, 0.75, 1]) {
    ctx.beginPath(); ctx.moveTo(left, y(a)); ctx.lineTo(W - right, y(a)); ctx.stroke();
    ctx.fillText(`${Math.round(a * 100)}%`, 4, y(a) + 4);
  }
  dates.forEach((d, i) => { if (dates.length <= 8 || i % Math.ceil(dates.length / 8) === 0) ctx.fillText(d.slice(5), x(i) - 14, H - 6); });
  [...series.entries()].forEach(([key, s], n) => {
    const color = SERIES_COLORS[n % SERIES_COLORS.length];
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash([]);
    ctx.beginPath();
    s.points.forEach(([i, a], k) => (k === 0 ? ctx.moveTo(x(i), y(a)) : ctx.lineTo(x(i), y(a))));
    ctx.stroke();
    for (const [i, a] of s.points) { ctx.beginPath(); ctx.arc(x(i), y(a), 3, 0, 2 * Math.PI); ctx.fill(); }
    if (isNum(s.heldOut)) {
      ctx.lineWidth = 1;
      ctx.setLineDash([5, 4]);
      ctx.beginPath(); ctx.moveTo(left, y(s.heldOut)); ctx.lineTo(W - right, y(s.heldOut)); ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillText(key, W - right + 8, top + 12 + n * 16);
  });
  ctx.lineWidth = 1;
}

document.addEventListener('DOMContentLoaded', () => {
  loadMonitoring();
  setInterval(loadMonitoring, MONITORING_REFRESH_MS);
});
