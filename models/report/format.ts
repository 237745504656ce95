/** Number formatting and axis ticks for the charts. */

/** A count with thousands separators: 12345 → "12,345" (a non-integer keeps up to 2 decimals). */
export function formatCount(n: number): string {
  const [whole = '0', fraction] = (Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A share in [0, 1] as a whole percentage; "<1%" for a share that is not 0 but rounds to it. */
export function formatPercent(share: number): string {
  const p = Math.round(share * 100);
  return p === 0 && share > 0 ? '<1%' : `${p}%`;
}

export interface Ticks {
  /** The tick values from 0 to `max`, evenly `step` apart. */
  values: number[];
  step: number;
  /** The axis's end: the last tick, at or past the largest value. */
  max: number;
  /** Decimals that show every tick exactly. */
  decimals: number;
}

/** About `target` evenly spaced round ticks (steps of 1, 2, 2.5 or 5 × 10^n) from 0 past `max`. */
export function niceTicks(max: number, target = 5): Ticks {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const raw = top / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const unit = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  const step = unit * mag;
  const count = Math.ceil(top / step - 1e-9);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (unit === 2.5 ? 1 : 0));
  const values = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
  return { values, step, max: values[values.length - 1]!, decimals };
}
