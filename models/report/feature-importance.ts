/** The feature-importance chart: horizontal bars, largest first, each with its value at its end. */
import { niceTicks } from './format';
import { Raster, type Rgb, measureText } from './raster';
import { AXIS, GRID, INK, MARGIN, MUTED, drawTitleBlock, titleBlock } from './style';

export interface FeatureImportance {
  feature: string;
  importance: number;
}

export const BAR_COLOR: Rgb = [49, 130, 189];
/** The pixels a bar of the axis's full length spans. */
export const PLOT_WIDTH = 640;
const BAR_HEIGHT = 24;
const ROW_PITCH = 38;
/** Feature names longer than this are cut with an ellipsis. */
const MAX_NAME = 40;

function validate(importances: readonly FeatureImportance[]): void {
  if (importances.length === 0) throw new RangeError('featureImportancePng: no features');
  importances.forEach((f: Partial<FeatureImportance> | undefined, i) => {
    if (typeof f?.feature !== 'string') throw new RangeError(`featureImportancePng: entry ${i} has no feature name`);
    const v = f.importance;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`featureImportancePng: importance of "${f.feature}" is ${v}: importances must be finite and non-negative`);
    }
  });
}

function shortName(name: string): string {
  const chars = [...name];
  return chars.length <= MAX_NAME ? name : `${chars.slice(0, MAX_NAME - 1).join('')}\u2026`;
}

/**
 * A PNG bar chart of `importances`, sorted largest first (ties keep their order): names on the left,
 * bars on a common axis from 0, the value to 3 decimals at each bar's end.
 */
export function featureImportancePng(importances: readonly FeatureImportance[], options: { title?: string } = {}): Buffer {
  validate(importances);
  const rows = [...importances].sort((a, b) => b.importance - a.importance);
  const ticks = niceTicks(rows[0]!.importance);
  const names = rows.map((f) => shortName(f.feature));
  const values = rows.map((f) => f.importance.toFixed(3));

  const nameW = Math.max(...names.map((n) => measureText(n).width));
  const valueW = Math.max(...values.map((v) => measureText(v).width));
  const tickLabelH = measureText('0').height;
  const plotX = MARGIN + nameW + 16;
  const width = plotX + PLOT_WIDTH + 12 + valueW + MARGIN;
  const head = titleBlock(options.title ?? 'Feature importance', '', width - 2 * MARGIN);
  const plotY = MARGIN + head.height;
  const plotH = rows.length * ROW_PITCH;
  const height = plotY + plotH + 8 + tickLabelH + 18 + tickLabelH + MARGIN;

  const r = new Raster(width, height);
  drawTitleBlock(r, head, width / 2, MARGIN);

  // Grid lines and tick labels, then the axis line at 0.
  const xOf = (v: number): number => plotX + Math.round((v / ticks.max) * PLOT_WIDTH);
  for (const t of ticks.values) {
    const x = xOf(t);
    r.fillRect(x, plotY, 1, plotH + 6, t === 0 ? AXIS : GRID);
    r.drawText(t.toFixed(ticks.decimals), x, plotY + plotH + 8, { color: MUTED, align: 'center' });
  }
  r.fillRect(plotX, plotY + plotH, PLOT_WIDTH + 1, 1, AXIS);
  r.drawText('Importance', plotX + PLOT_WIDTH / 2, height - MARGIN, { color: INK, align: 'center', valign: 'bottom', bold: true });

  rows.forEach((f, i) => {
    const cy = plotY + i * ROW_PITCH + ROW_PITCH / 2;
    const length = xOf(f.importance) - plotX;
    r.fillRect(plotX + 1, cy - BAR_HEIGHT / 2, length, BAR_HEIGHT, BAR_COLOR);
    r.drawText(names[i]!, plotX - 12, cy, { color: INK, align: 'right', valign: 'middle' });
    r.drawText(values[i]!, plotX + 1 + length + 8, cy, { color: INK, valign: 'middle' });
  });
  return r.toPng();
}
