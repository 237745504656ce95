/**
 * The reliability diagram: for each bin of top-label confidence, how often the predicted class was right
 * (a bar) against what the model claimed (a mark at the bin's mean confidence), beside the diagonal of
 * perfect calibration; under it, how many rows each bin holds.
 */
import type { CalibrationBin } from '../metrics';
import { formatCount, formatPercent } from './format';
import { Raster, type Rgb, measureText } from './raster';
import { AXIS, GRID, INK, MARGIN, MUTED, drawTitleBlock, titleBlock } from './style';

export const ACCURACY_COLOR: Rgb = [49, 130, 189];
export const CONFIDENCE_COLOR: Rgb = [214, 39, 40];
export const ROWS_COLOR: Rgb = [160, 160, 160];
/** The side of the square plot, in pixels. */
export const PLOT_SIZE = 520;
const HISTOGRAM_HEIGHT = 90;
const DEFAULT_TITLE = 'Reliability diagram';

/** Where a reliability chart puts things, in pixels: for the renderer and for tests. */
export interface ReliabilityLayout {
  width: number;
  height: number;
  /** The plot's top-left corner; confidence 0..1 runs left to right, accuracy 0..1 bottom to top. */
  plotX: number;
  plotY: number;
  plotSize: number;
  /** The top of the row-count strip under the plot. */
  histogramY: number;
}

function validate(bins: readonly CalibrationBin[]): void {
  if (bins.length === 0) throw new RangeError('reliabilityPng: no bins');
  bins.forEach((b, i) => {
    for (const key of ['lower', 'upper', 'confidence', 'accuracy'] as const) {
      const v = b[key];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`reliabilityPng: bin ${i}: ${key} is ${v}, must be in [0, 1]`);
    }
    if (!(b.upper > b.lower)) throw new RangeError(`reliabilityPng: bin ${i}: upper ${b.upper} is not above lower ${b.lower}`);
    if (!(Number.isInteger(b.rows) && b.rows >= 0)) throw new RangeError(`reliabilityPng: bin ${i}: rows is ${b.rows}, must be a non-negative integer`);
  });
}

function measure(title: string, caption: string): { layout: ReliabilityLayout; head: ReturnType<typeof titleBlock> } {
  const tickW = measureText('100%').width;
  const textH = measureText('0').height;
  const plotX = MARGIN + textH + 16 + tickW + 10;
  const legendW = measureText('mean confidence of the bin').width + 40;
  const width = plotX + PLOT_SIZE + 30 + legendW + MARGIN;
  const head = titleBlock(title, caption, width - 2 * MARGIN);
  const plotY = MARGIN + head.height;
  const histogramY = plotY + PLOT_SIZE + 20;
  const height = histogramY + HISTOGRAM_HEIGHT + 10 + textH + 16 + textH + MARGIN;
  return { layout: { width, height, plotX, plotY, plotSize: PLOT_SIZE, histogramY }, head };
}

const captionOf = (bins: readonly CalibrationBin[], ece: number | undefined): string => {
  const rows = bins.reduce((a, b) => a + b.rows, 0);
  return `${ece === undefined ? '' : `ECE ${ece.toFixed(3)} \u00b7 `}${formatCount(rows)} rows in ${bins.length} bins of top-label confidence`;
};

/** The layout `reliabilityPng` gives these arguments (validated the same way). */
export function reliabilityLayout(bins: readonly CalibrationBin[], options: { title?: string; ece?: number } = {}): ReliabilityLayout {
  validate(bins);
  return measure(options.title ?? DEFAULT_TITLE, captionOf(bins, options.ece)).layout;
}

/**
 * A PNG reliability diagram of `bins` (from `calibration` in ../metrics): per bin a bar up to the share
 * of right predictions and a mark at its mean confidence; the dashed diagonal is perfect calibration;
 * the strip below shows each bin's share of the rows. Empty bins draw nothing.
 */
export function reliabilityPng(bins: readonly CalibrationBin[], options: { title?: string; ece?: number } = {}): Buffer {
  validate(bins);
  const { layout, head } = measure(options.title ?? DEFAULT_TITLE, captionOf(bins, options.ece));
  const { width, height, plotX, plotY, plotSize, histogramY } = layout;
  const r = new Raster(width, height);
  drawTitleBlock(r, head, plotX + plotSize / 2, MARGIN);

  const xOf = (v: number): number => plotX + Math.round(v * plotSize);
  const yOf = (v: number): number => plotY + plotSize - Math.round(v * plotSize);

  // Grid and ticks.
  for (let i = 0; i <= 5; i++) {
    const v = i / 5;
    r.fillRect(xOf(v), plotY, 1, plotSize, GRID);
    r.fillRect(plotX, yOf(v), plotSize, 1, GRID);
    r.drawText(formatPercent(v), plotX - 10, yOf(v), { color: MUTED, align: 'right', valign: 'middle' });
    r.drawText(v.toFixed(1), xOf(v), histogramY + HISTOGRAM_HEIGHT + 10, { color: MUTED, align: 'center' });
  }

  // Bars (accuracy) and marks (mean confidence).
  const total = bins.reduce((a, b) => a + b.rows, 0);
  const maxShare = Math.max(...bins.map((b) => (total ? b.rows / total : 0)), 1e-9);
  for (const b of bins) {
    if (b.rows === 0) continue;
    const x0 = xOf(b.lower) + 2;
    const w = xOf(b.upper) - xOf(b.lower) - 3;
    r.fillRect(x0, yOf(b.accuracy), w, yOf(0) - yOf(b.accuracy), ACCURACY_COLOR);
    r.fillRect(x0, yOf(b.confidence) - 1, w, 3, CONFIDENCE_COLOR);
    const h = Math.round((b.rows / total / maxShare) * HISTOGRAM_HEIGHT);
    r.fillRect(x0, histogramY + HISTOGRAM_HEIGHT - h, w, h, ROWS_COLOR);
  }

  // The diagonal of perfect calibration, dashed.
  for (let p = 0; p <= plotSize; p++) {
    if (p % 12 < 7) r.fillRect(plotX + p - 1, plotY + plotSize - p - 1, 2, 2, INK);
  }
  r.strokeRect(plotX, plotY, plotSize + 1, plotSize + 1, AXIS);
  r.fillRect(plotX, histogramY + HISTOGRAM_HEIGHT, plotSize + 1, 1, AXIS);

  // Axis titles.
  r.drawText('Share right (accuracy)', MARGIN, plotY + plotSize / 2, { color: INK, valign: 'middle', rotate: true, bold: true });
  r.drawText('Rows', plotX - 10, histogramY + HISTOGRAM_HEIGHT / 2, { color: MUTED, align: 'right', valign: 'middle' });
  r.drawText('Confidence (top probability)', plotX + plotSize / 2, height - MARGIN, { color: INK, align: 'center', valign: 'bottom', bold: true });

  // Legend.
  const lx = plotX + plotSize + 30;
  const entries: [string, (y: number) => void][] = [
    ['share right in the bin', (y) => r.fillRect(lx, y - 8, 22, 16, ACCURACY_COLOR)],
    ['mean confidence of the bin', (y) => r.fillRect(lx, y - 1, 22, 3, CONFIDENCE_COLOR)],
    ['perfect calibration', (y) => [0, 10].forEach((dx) => r.fillRect(lx + dx, y - 1, 7, 2, INK))],
    ['rows in the bin', (y) => r.fillRect(lx, y - 8, 22, 16, ROWS_COLOR)],
  ];
  entries.forEach(([label, mark], i) => {
    const y = plotY + 14 + i * 30;
    mark(y);
    r.drawText(label, lx + 32, y, { color: INK, valign: 'middle' });
  });
  return r.toPng();
}
