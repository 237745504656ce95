// Shared by the form and the dashboard: the class labels and the header links to the Temporal and MLflow UIs.
'use strict';
/* eslint-disable no-redeclare -- this file defines the globals the page scripts use */
/* exported CLASS_LABELS, loadLinks */

const CLASS_LABELS = [
  'Early (15+ Minutes Early)',
  'Slightly Early (0-15 Minute Early)',
  'Slightly Late (0-30 Minute Delay)',
  'Very Late (30+ Minutes Late)',
];

// Fills the hrefs of #link-temporal and #link-mlflow from GET /api/links; a link without a URL stays hidden.
async function loadLinks() {
  try {
    const res = await fetch('/api/links', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const links = await res.json();
    for (const [id, url] of [['link-temporal', links && links.temporalUi], ['link-mlflow', links && links.mlflowUi]]) {
      const a = document.getElementById(id);
      if (!a) continue;
      if (url) { a.href = url; a.hidden = false; } else { a.hidden = true; }
    }
  } catch (e) {
    console.warn('links unavailable', e);
  }
}
