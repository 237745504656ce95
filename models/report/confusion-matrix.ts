/** The confusion-matrix heatmap: rows are the actual class, columns the predicted class. */
import { formatCount, formatPercent } from './format';
import { Raster, type Rgb, WHITE, measureText, wrapText } from './raster';
import { AXIS, INK, MARGIN, MUTED, TEXT_SCALE, drawTitleBlock, titleBlock } from './style';

/** The colour ramp, by row share: white, a middle blue, a deep blue. */
const RAMP: readonly (readonly [number, Rgb])[] = [
  [0, WHITE],
  [0.5, [107, 174, 214]],
  [1, [8, 48, 107]],
];
const COUNT_SCALE = 3;
/** Class labels wrap to about 20 characters a line. */
const LABEL_WIDTH = measureText('x'.repeat(20), TEXT_SCALE).width;
const COLORBAR_WIDTH = 22;
const DEFAULT_TITLE = 'Confusion matrix';

/** The colour of a row share in [0, 1]: white at 0, deep blue at 1. */
export function shareColor(share: number): Rgb {
  const s = Math.min(1, Math.max(0, share));
  for (let i = 1; i < RAMP.length; i++) {
    const [s1, c1] = RAMP[i]!;
    if (s <= s1 || i === RAMP.length - 1) {
      const [s0, c0] = RAMP[i - 1]!;
      const t = (s - s0) / (s1 - s0);
      const mix = (k: 0 | 1 | 2): number => Math.round(c0[k] + (c1[k] - c0[k]) * t);
      return [mix(0), mix(1), mix(2)];
    }
  }
  return WHITE;
}

function isDark([r, g, b]: Rgb): boolean {
  return 0.299 * r + 0.587 * g + 0.114 * b < 140;
}

/** A class label over lines: its parenthetical part on a line of its own, each part wrapped. */
function labelLines(label: string): string {
  const open = label.indexOf(' (');
  const parts = open > 0 ? [label.slice(0, open), label.slice(open + 1)] : [label];
  return parts.map((p) => wrapText(p, LABEL_WIDTH, TEXT_SCALE)).join('\n');
}

function validate(confusion: number[][], labels: readonly string[]): void {
  const k = confusion.length;
  if (k === 0) throw new RangeError('confusionMatrixPng: the confusion matrix has no rows');
  confusion.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== confusion[0]!.length) {
      throw new RangeError(`confusionMatrixPng: ragged matrix: row ${i} has ${Array.isArray(row) ? row.length : 'no'} cells, row 0 has ${confusion[0]!.length}`);
    }
  });
  if (confusion[0]!.length !== k) throw new RangeError(`confusionMatrixPng: the matrix is not square: ${k} rows of ${confusion[0]!.length} cells`);
  if (labels.length !== k) throw new RangeError(`confusionMatrixPng: ${labels.length} labels for ${k} classes`);
  confusion.forEach((row, i) =>
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new RangeError(`confusionMatrixPng: cell [${i}][${j}] is ${v}: counts must be finite and non-negative`);
      }
    }),
  );
}

/** Where a confusion-matrix chart puts things, in pixels: for the renderer and for tests. */
export interface ConfusionLayout {
  width: number;
  height: number;
  /** The top-left corner of the cell grid (row 0, column 0) and each cell's size. */
  gridX: number;
  gridY: number;
  cellW: number;
  cellH: number;
  colorbarX: number;
}

function measure(confusion: number[][], labels: readonly string[], title: string) {
  const rowTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  const texts = labels.map(labelLines);
  const rowNotes = rowTotals.map((t) => `${formatCount(t)} rows`);
  const sizes = texts.map((t) => measureText(t, TEXT_SCALE));
  const noteSizes = rowNotes.map((t) => measureText(t, TEXT_SCALE));
  const widestCount = Math.max(...confusion.flat().map((v) => measureText(formatCount(v), COUNT_SCALE).width));
  const cellW = Math.max(150, widestCount + 28, ...sizes.map((s) => s.width + 36));
  const cellH = Math.max(112, ...sizes.map((s, i) => s.height + 8 + noteSizes[i]!.height + 20));
  const rowLabelW = Math.max(...sizes.map((s) => s.width), ...noteSizes.map((s) => s.width));
  const colLabelH = Math.max(...sizes.map((s) => s.height));
  const axisTitleH = measureText('Actual', TEXT_SCALE).height;
  const tickW = measureText('100%', TEXT_SCALE).width;
  const k = labels.length;
  const gridX = MARGIN + axisTitleH + 20 + rowLabelW + 16;
  const colorbarX = gridX + k * cellW + 32;
  const width = colorbarX + COLORBAR_WIDTH + 12 + tickW + 14 + axisTitleH + MARGIN;
  const head = titleBlock(title, `${formatCount(total)} rows \u00b7 each cell: count and share of its actual class`, width - 2 * MARGIN);
  const gridY = MARGIN + head.height;
  const height = gridY + k * cellH + 14 + colLabelH + 18 + axisTitleH + MARGIN;
  const layout: ConfusionLayout = { width, height, gridX, gridY, cellW, cellH, colorbarX };
  return { layout, head, rowTotals, texts, rowNotes, sizes, noteSizes, tickW };
}

/** The layout `confusionMatrixPng` gives these arguments (validated the same way). */
export function confusionMatrixLayout(confusion: number[][], labels: readonly string[], options: { title?: string } = {}): ConfusionLayout {
  validate(confusion, labels);
  return measure(confusion, labels, options.title ?? DEFAULT_TITLE).layout;
}

/**
 * A PNG heatmap of `confusion[actual][predicted]`: each cell shows its count and its share of the row
 * (the actual class), coloured by that share; a colour bar, row totals and the class labels beside.
 */
export function confusionMatrixPng(confusion: number[][], labels: readonly string[], options: { title?: string } = {}): Buffer {
  validate(confusion, labels);
  const k = labels.length;
  const { layout, head, rowTotals, texts, rowNotes, sizes, noteSizes, tickW } = measure(confusion, labels, options.title ?? DEFAULT_TITLE);
  const { width, height, gridX, gridY, cellW, cellH, colorbarX: barX } = layout;
  const gridW = k * cellW;
  const gridH = k * cellH;
  const share = (i: number, j: number): number => (rowTotals[i]! === 0 ? 0 : confusion[i]![j]! / rowTotals[i]!);

  const r = new Raster(width, height);
  drawTitleBlock(r, head, gridX + gridW / 2, MARGIN);

  // Cells, their text, and white lines between them.
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const x = gridX + j * cellW;
      const y = gridY + i * cellH;
      const fill = shareColor(share(i, j));
      r.fillRect(x, y, cellW, cellH, fill);
      const ink = isDark(fill) ? WHITE : INK;
      const countText = formatCount(confusion[i]![j]!);
      const shareText = rowTotals[i]! === 0 ? '-' : formatPercent(share(i, j));
      const ch = measureText(countText, COUNT_SCALE).height;
      const block = ch + 10 + measureText(shareText, TEXT_SCALE).height;
      const top = y + (cellH - block) / 2;
      r.drawText(countText, x + cellW / 2, top, { scale: COUNT_SCALE, color: ink, align: 'center' });
      r.drawText(shareText, x + cellW / 2, top + ch + 10, { scale: TEXT_SCALE, color: ink, align: 'center', bold: true });
    }
  }
  for (let i = 1; i < k; i++) {
    r.fillRect(gridX + i * cellW - 1, gridY, 2, gridH, WHITE);
    r.fillRect(gridX, gridY + i * cellH - 1, gridW, 2, WHITE);
  }
  r.strokeRect(gridX - 1, gridY - 1, gridW + 2, gridH + 2, AXIS);

  // Row labels (actual) with row totals, column labels (predicted), axis titles.
  for (let i = 0; i < k; i++) {
    const block = sizes[i]!.height + 8 + noteSizes[i]!.height;
    const top = gridY + i * cellH + (cellH - block) / 2;
    const right = gridX - 16;
    r.drawText(texts[i]!, right, top, { color: INK, align: 'right' });
    r.drawText(rowNotes[i]!, right, top + sizes[i]!.height + 8, { color: MUTED, align: 'right' });
    r.drawText(texts[i]!, gridX + i * cellW + cellW / 2, gridY + gridH + 14, { color: INK, align: 'center' });
  }
  r.drawText('Actual', MARGIN, gridY + gridH / 2, { color: INK, valign: 'middle', rotate: true, bold: true });
  r.drawText('Predicted', gridX + gridW / 2, height - MARGIN, { color: INK, align: 'center', valign: 'bottom', bold: true });

  // Colour bar: 100% at the top, 0% at the bottom.
  for (let y = 0; y < gridH; y++) r.fillRect(barX, gridY + y, COLORBAR_WIDTH, 1, shareColor(1 - y / (gridH - 1)));
  r.strokeRect(barX - 1, gridY - 1, COLORBAR_WIDTH + 2, gridH + 2, AXIS);
  for (const s of [0, 0.25, 0.5, 0.75, 1]) {
    const y = gridY + Math.round((1 - s) * (gridH - 1));
    r.fillRect(barX + COLORBAR_WIDTH + 1, y, 5, 1, AXIS);
    r.drawText(formatPercent(s), barX + COLORBAR_WIDTH + 12, y, { color: MUTED, valign: 'middle' });
  }
  r.drawText('Share of actual class', barX + COLORBAR_WIDTH + 12 + tickW + 14, gridY + gridH / 2, { color: MUTED, valign: 'middle', rotate: true });
  return r.toPng();
}
