// Live dashboard: stats and predictions pushed over socket.io, champion model over HTTP.
'use strict';

const MAX_ROWS = 20;
const SPARK_POINTS = 60;
const CHAMPION_REFRESH_MS = 30000;
const CM_PNG = '/api/models/champion/confusion-matrix.png';

const $ = (id) => document.getElementById(id);
const ppsHistory = [];

// Build an element; children are nodes or strings (strings become text nodes, so they are never parsed as HTML).
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'style') Object.assign(node.style, v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/* exported $, el, isNum, fmtInt, fmtPct -- also used by live-accuracy.js, loaded after this file */
const isNum = (v) => v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v));
// Plain digits (no thousands separators) so the numbers stay machine-readable.
const fmtInt = (n) => (isNum(n) ? String(Math.round(Number(n))) : '—');
const fmtMs = (n) => (isNum(n) ? String(Math.round(Number(n))) : '—'); // unit is in the HTML
const fmtPct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');
const fmtTime = (iso) => { const d = new Date(iso); return isNaN(d) ? '—' : d.toLocaleTimeString(); };

// ---------- stats ----------

function renderStats(s) {
  if (!s) return;
  const pps = Number(s.predictionsPerSecond) || 0;
  $('pps').textContent = pps % 1 === 0 ? String(pps) : pps.toFixed(1);
  $('total').textContent = fmtInt(s.total);
  const lat = s.latencyMs || {};
  $('latency-p50').textContent = fmtMs(lat.p50);
  $('latency-p90').textContent = fmtMs(lat.p90);
  $('latency-p99').textContent = fmtMs(lat.p99);
  $('latency-count').textContent = fmtInt(lat.count || 0);
  $('consumer-lag').textContent = s.consumerLag === null || s.consumerLag === undefined ? 'n/a' : fmtInt(s.consumerLag);
  $('stream-status').textContent = s.streamStatus || 'unknown';
  $('stats-model').textContent = s.modelVersion || 'none';
  $('stats-at').textContent = s.at ? fmtTime(s.at) : '—';
  renderClassBars(Array.isArray(s.byClass) ? s.byClass : [0, 0, 0, 0]);
  ppsHistory.push(pps);
  if (ppsHistory.length > SPARK_POINTS) ppsHistory.shift();
  drawSparkline();
}

function renderClassBars(byClass) {
  const counts = CLASS_LABELS.map((_, i) => Number(byClass[i]) || 0);
  const sum = counts.reduce((a, b) => a + b, 0);
  const rows = CLASS_LABELS.map((label, i) => {
    const frac = sum ? counts[i] / sum : 0;
    return el('div', { class: 'bar-row', 'data-class': i },
      el('span', { class: 'bar-label' }, label),
      el('span', { class: 'bar-track' }, el('span', { class: `bar-fill class-${i}`, style: { width: `${frac * 100}%` } })),
      el('span', { class: 'bar-value' }, `${fmtInt(counts[i])} (${sum ? fmtPct(frac) : '0%'})`));
  });
  $('class-bars').replaceChildren(...rows);
}

// Sparkline of the last 60 predictions-per-second values, scaled to the max seen.
function drawSparkline() {
  const canvas = $('pps-sparkline');
  const ctx = canvas.getContext('2d');
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(w * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr); }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  if (ppsHistory.length < 2) return;
  const max = Math.max(1, ...ppsHistory);
  const step = w / (SPARK_POINTS - 1);
  const x0 = w - (ppsHistory.length - 1) * step; // newest value at the right edge
  const y = (v) => h - 2 - (v / max) * (h - 4);
  ctx.beginPath();
  ppsHistory.forEach((v, i) => (i ? ctx.lineTo(x0 + i * step, y(v)) : ctx.moveTo(x0, y(v))));
  ctx.strokeStyle = '#2563eb';
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.lineTo(w, h); ctx.lineTo(x0, h); ctx.closePath();
  ctx.fillStyle = 'rgba(37, 99, 235, 0.12)';
  ctx.fill();
}

// ---------- latest predictions ----------

function addPrediction(r) {
  if (!r) return;
  const tbody = $('latest');
  const empty = tbody.querySelector('.empty-row');
  if (empty) empty.remove();
  const label = r.PredictionLabel || CLASS_LABELS[r.Prediction] || String(r.Prediction);
  const row = el('tr', { class: `pred-row class-${Number(r.Prediction)}` },
    el('td', {}, fmtTime(r.ScoredAt || r.RequestTimestamp)),
    el('td', { class: 'mono', title: r.UUID || '' }, String(r.UUID || '').slice(0, 8)),
    el('td', {}, r.Route || `${r.Origin || '?'}-${r.Dest || '?'}`),
    el('td', {}, r.Carrier || ''),
    el('td', { class: 'num' }, r.DepDelay === undefined || r.DepDelay === null ? '' : String(r.DepDelay)),
    el('td', {}, el('span', { class: `pill class-${Number(r.Prediction)}` }, label)));
  tbody.prepend(row);
  while (tbody.rows.length > MAX_ROWS) tbody.lastElementChild.remove();
}

// ---------- champion model ----------

async function loadChampion() {
  const box = $('champion');
  try {
    const res = await fetch('/api/models/champion', { headers: { Accept: 'application/json' } });
    if (res.status === 404) {
      box.replaceChildren(el('p', { class: 'muted' }, 'no champion yet: train one'));
    } else if (!res.ok) {
      box.replaceChildren(el('p', { class: 'error-text' }, `champion unavailable (HTTP ${res.status})`));
    } else {
      renderChampion(await res.json());
    }
  } catch (e) {
    box.replaceChildren(el('p', { class: 'error-text' }, `champion unavailable: ${e.message}`));
  }
  // Reload the PNG (cache-busted); onerror hides it when there is none.
  const img = $('champion-cm-img');
  img.src = `${CM_PNG}?t=${Date.now()}`;
}

function renderChampion(c) {
  const m = c.metrics || {};
  const acc = m.accuracy !== undefined ? m.accuracy : c.accuracy;
  const facts = el('dl', { class: 'facts' },
    el('dt', {}, 'Version'), el('dd', { class: 'mono' }, c.version || '—'),
    el('dt', {}, 'Run id'), el('dd', { class: 'mono' },
      c.mlflowRunUrl ? el('a', { href: c.mlflowRunUrl, target: '_blank', rel: 'noopener' }, c.runId || 'MLflow run') : (c.runId || '—')),
    el('dt', {}, 'Accuracy'), el('dd', {}, isNum(acc) ? fmtPct(Number(acc)) : '—'),
    el('dt', {}, 'Weighted F1'), el('dd', {}, isNum(m.weightedF1) ? Number(m.weightedF1).toFixed(3) : '—'),
    el('dt', {}, 'Saved at'), el('dd', {}, c.savedAt ? new Date(c.savedAt).toLocaleString() : '—'));
  const labels = Array.isArray(c.labels) && c.labels.length ? c.labels : CLASS_LABELS;
  const parts = [facts];
  if (Array.isArray(m.perClass) && m.perClass.length) parts.push(perClassTable(m.perClass, labels));
  if (Array.isArray(c.confusionMatrix) && Array.isArray(c.confusionMatrix[0])) parts.push(confusionTable(c.confusionMatrix, labels));
  else parts.push(el('p', { class: 'muted' }, 'No confusion matrix recorded.'));
  $('champion').replaceChildren(...parts);
}

// Per-class metrics: objects become one column per key, plain numbers a single "value" column.
function perClassTable(perClass, labels) {
  const keys = [...new Set(perClass.flatMap((p) => (p && typeof p === 'object' ? Object.keys(p) : ['value'])))]
    .filter((k) => k !== 'label' && k !== 'class');
  const cell = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v ?? ''));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data-table per-class' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Class'), keys.map((k) => el('th', {}, k)))),
    el('tbody', {}, perClass.map((p, i) => el('tr', {},
      el('th', {}, (p && p.label) || labels[i] || String(i)),
      keys.map((k) => el('td', { class: 'num' }, cell(p && typeof p === 'object' ? p[k] : p))))))));
}

// Confusion matrix: rows = actual, columns = predicted; cells shaded by row-normalised value.
function confusionTable(cm, labels) {
  const head = el('tr', {}, el('th', { class: 'corner' }, 'actual ↓ / predicted →'),
    cm[0].map((_, j) => el('th', { scope: 'col' }, labels[j] || String(j))));
  const body = cm.map((row, i) => {
    const rowSum = row.reduce((a, b) => a + (Number(b) || 0), 0);
    return el('tr', {}, el('th', { scope: 'row' }, labels[i] || String(i)), row.map((v, j) => {
      const frac = rowSum ? (Number(v) || 0) / rowSum : 0;
      return el('td', {
        class: 'cm-cell' + (i === j ? ' diag' : ''),
        title: `${fmtInt(v)} (${fmtPct(frac)} of actual "${labels[i] || i}")`,
        style: { backgroundColor: `rgba(37, 99, 235, ${(0.08 + frac * 0.85).toFixed(3)})`, color: frac > 0.5 ? '#fff' : '' },
      }, fmtInt(v));
    }));
  });
  return el('div', { class: 'table-wrap' },
    el('table', { class: 'confusion-matrix' }, el('thead', {}, head), el('tbody', {}, body)));
}

// ---------- socket ----------

function initSocket() {
  const status = $('conn-status');
  if (typeof io !== 'function') { status.textContent = 'live updates unavailable'; return; }
  const socket = io({ transports: ['websocket'] }); // no long-polling: it needs sticky sessions behind a load balancer
  socket.on('connect', () => {
    status.textContent = 'live';
    status.className = 'conn-status ok';
    socket.emit('subscribe-dashboard'); // (re)join the dashboard room on every (re)connect
  });
  socket.on('disconnect', () => {
    status.textContent = 'reconnecting…';
    status.className = 'conn-status warn';
  });
  socket.on('stats', renderStats);
  socket.on('prediction', addPrediction);
}

// ---------- start ----------

document.addEventListener('DOMContentLoaded', () => {
  const img = $('champion-cm-img');
  img.addEventListener('error', () => { img.hidden = true; });
  img.addEventListener('load', () => { img.hidden = false; });
  renderClassBars([0, 0, 0, 0]);
  initSocket();
  loadLinks();
  loadChampion();
  setInterval(loadChampion, CHAMPION_REFRESH_MS);
});
