// Prediction form: submits to /api/predictions and shows the result,
// delivered live over socket.io (with an HTTP polling fallback).
'use strict';

const FIELDS = ['DepDelay', 'Carrier', 'FlightDate', 'Origin', 'Dest', 'FlightNum'];
const SOCKET_GRACE_MS = 3000; // wait this long for the socket before polling
const POLL_EVERY_MS = 500;
const POLL_FOR_MS = 30000;

const $ = (id) => document.getElementById(id);

// Current request: {id, t0, done, timers}. Replaced on each submit so stale results are ignored.
let current = null;

// ---------- small helpers ----------

function show(el, visible) { el.hidden = !visible; }

function messageText(msg, fallback) {
  if (Array.isArray(msg)) return msg.join('; ');
  if (msg === undefined || msg === null || msg === '') return fallback;
  return String(msg);
}

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

// ---------- pickers ----------

// Fill a <datalist> with <option value=code>label</option> (textContent: no HTML injection).
function fillDatalist(listEl, items, labelOf) {
  const frag = document.createDocumentFragment();
  for (const item of items || []) {
    if (!item || !item.code) continue;
    const opt = document.createElement('option');
    opt.value = item.code;
    opt.textContent = labelOf(item);
    frag.appendChild(opt);
  }
  listEl.replaceChildren(frag);
}

async function loadPickers() {
  getJson('/api/airports')
    .then((airports) => fillDatalist($('airport-list'), airports, (a) =>
      [a.name, [a.city, a.state].filter(Boolean).join(', ')].filter(Boolean).join(' — ')))
    .catch((e) => console.warn('airports unavailable', e));
  getJson('/api/carriers')
    .then((carriers) => fillDatalist($('carrier-list'), carriers, (c) => c.name || c.code))
    .catch((e) => console.warn('carriers unavailable', e));
}

// ---------- result area states ----------

function setState(state) {
  $('result').dataset.state = state;
  show($('result-placeholder'), state === 'idle' || state === 'error');
  show($('result-waiting'), state === 'waiting');
  show($('result-body'), state === 'done');
  if (state === 'error') $('result-placeholder').textContent = 'No result.';
}

function clearErrors() {
  show($('error'), false);
  $('error').textContent = '';
  for (const el of document.querySelectorAll('[data-error-for]')) el.textContent = '';
  for (const name of FIELDS) $(name).removeAttribute('aria-invalid');
}

function showError(message) {
  $('error').textContent = message;
  show($('error'), true);
  setState('error');
}

function showFieldError(field, message) {
  const slot = field && document.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
  if (!slot) return showError(message); // unknown field: use the general area
  slot.textContent = message;
  if ($(field)) { $(field).setAttribute('aria-invalid', 'true'); $(field).focus(); }
  setState('error');
}

// ---------- rendering a result ----------

function renderResult(r, elapsedMs) {
  $('prediction-label').textContent = r.PredictionLabel || CLASS_LABELS[r.Prediction] || String(r.Prediction);

  const probs = Array.isArray(r.Probabilities) ? r.Probabilities : [];
  const bars = CLASS_LABELS.map((label, i) => {
    const p = Number(probs[i]) || 0;
    const pct = (p * 100).toFixed(1) + '%';
    const row = document.createElement('div');
    row.className = 'bar-row' + (i === Number(r.Prediction) ? ' is-predicted' : '');
    const name = document.createElement('span');
    name.className = 'bar-label';
    name.textContent = label;
    const track = document.createElement('span');
    track.className = 'bar-track';
    const fill = document.createElement('span');
    fill.className = `bar-fill class-${i}`;
    fill.style.width = Math.max(0, Math.min(100, p * 100)) + '%';
    track.appendChild(fill);
    const value = document.createElement('span');
    value.className = 'bar-value';
    value.textContent = pct;
    row.append(name, track, value);
    return row;
  });
  $('prob-bars').replaceChildren(...bars);

  $('res-route').textContent = r.Route || `${r.Origin || '?'} → ${r.Dest || '?'}`;
  $('res-flight').textContent = `${r.Carrier || ''} ${r.FlightNum || ''} on ${r.FlightDate || '?'}, departure delay ${r.DepDelay} min`;
  const dist = r.Distance === null || r.Distance === undefined ? 'unknown' : `${Number(r.Distance).toFixed(0)} miles`;
  $('res-distance').textContent = r.DistanceSource ? `${dist} (source: ${r.DistanceSource})` : dist;
  $('res-model').textContent = r.ModelVersion || 'unknown';
  $('res-uuid').textContent = r.UUID || '';
  $('elapsed-ms').textContent = String(Math.round(elapsedMs));
  setState('done');
}

// ---------- live result: socket.io + polling fallback ----------

let socket = null;

function initSocket() {
  if (typeof io !== 'function') { console.warn('socket.io client missing; polling only'); return; }
  socket = io({ transports: ['websocket'] }); // no long-polling: it needs sticky sessions behind a load balancer
  const status = $('conn-status');
  socket.on('disconnect', () => { status.textContent = 'reconnecting…'; status.hidden = false; });
  socket.on('connect', () => {
    status.hidden = true;
    // Rejoin the room after a reconnect if a result is still pending.
    if (current && !current.done && current.id) socket.emit('subscribe', { id: current.id });
  });
  socket.on('prediction', (r) => {
    if (!current || current.done || !r) return;
    if (r.UUID && current.id && r.UUID !== current.id) return; // someone else's result
    finish(current, r);
  });
}

function finish(req, result) {
  if (req !== current || req.done) return;
  req.done = true;
  req.timers.forEach(clearTimeout);
  renderResult(result, performance.now() - req.t0);
}

function waitFor(req) {
  $('request-id').textContent = req.id;
  setState('waiting');
  if (socket) socket.emit('subscribe', { id: req.id });
  req.timers.push(setTimeout(() => poll(req, performance.now() + POLL_FOR_MS), SOCKET_GRACE_MS));
}

async function poll(req, deadline) {
  if (req !== current || req.done) return;
  try {
    const res = await fetch(`/api/predictions/${encodeURIComponent(req.id)}`, { headers: { Accept: 'application/json' } });
    if (res.status === 200) {
      const body = await res.json();
      if (body && body.status === 'done' && body.result) return finish(req, body.result);
    }
  } catch (e) {
    console.warn('poll failed', e); // transient: keep trying until the deadline
  }
  if (req !== current || req.done) return;
  if (performance.now() >= deadline) {
    req.done = true;
    showError(`Timed out waiting for prediction ${req.id}. It may still complete later; try again.`);
    return;
  }
  req.timers.push(setTimeout(() => poll(req, deadline), POLL_EVERY_MS));
}

// ---------- submit ----------

function readForm() {
  const v = (id) => $(id).value.trim();
  return {
    Origin: v('Origin'),
    Dest: v('Dest'),
    Carrier: v('Carrier'),
    DepDelay: Number(v('DepDelay')),
    FlightDate: v('FlightDate'),
    FlightNum: v('FlightNum'),
  };
}

async function onSubmit(ev) {
  ev.preventDefault();
  if (current) { current.done = true; current.timers.forEach(clearTimeout); }
  const req = { id: null, t0: performance.now(), done: false, timers: [] };
  current = req;
  clearErrors();
  const button = $('predict');
  button.disabled = true;

  let res, body;
  try {
    res = await fetch('/api/predictions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(readForm()),
    });
    body = await res.json().catch(() => ({}));
  } catch (e) {
    button.disabled = false;
    if (req === current) showError(`Network error: ${e.message}`);
    return;
  }
  button.disabled = false;
  if (req !== current) return;

  if (res.status === 400 || res.status === 422) {
    req.done = true;
    return showFieldError(body.field, messageText(body.message, 'Invalid input'));
  }
  if (!res.ok) {
    req.done = true;
    return showError(messageText(body.message, `Request failed (HTTP ${res.status})`));
  }
  req.id = body.id || (body.result && body.result.UUID) || null;
  if (body.status === 'done' && body.result) return finish(req, body.result);
  if (!req.id) { req.done = true; return showError('Unexpected answer from the server (no request id).'); }
  waitFor(req);
}

// ---------- start ----------

document.addEventListener('DOMContentLoaded', () => {
  $('predict-form').addEventListener('submit', onSubmit);
  initSocket();
  loadLinks();
  loadPickers();
});
