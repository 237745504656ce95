/** What the charts share: colours, spacing and the title block. */
import { Raster, type Rgb, measureText, wrapText } from './raster';

export const INK: Rgb = [33, 33, 33];
export const MUTED: Rgb = [110, 110, 110];
export const GRID: Rgb = [225, 225, 225];
export const AXIS: Rgb = [150, 150, 150];

/** Blank space around every chart. */
export const MARGIN = 28;
/** Scale of titles (3 × the 5×9 font) and of every other text (2 ×). */
export const TITLE_SCALE = 3;
export const TEXT_SCALE = 2;

export interface TitleBlock {
  title: string;
  caption: string;
  height: number;
  width: number;
}

/** The title (large) and caption (muted) wrapped to `maxWidth`, with their height including the gap below. */
export function titleBlock(title: string, caption: string, maxWidth: number): TitleBlock {
  const t = wrapText(title, maxWidth, TITLE_SCALE);
  const c = caption === '' ? '' : wrapText(caption, maxWidth, TEXT_SCALE);
  const ts = measureText(t, TITLE_SCALE);
  ts.width += 1; // bold
  const cs = c === '' ? { width: 0, height: 0 } : measureText(c, TEXT_SCALE);
  return { title: t, caption: c, width: Math.max(ts.width, cs.width), height: ts.height + (c === '' ? 0 : 12 + cs.height) + 28 };
}

/** Draws a title block centred on `cx` (moved in as far as it must to stay inside the margins), its top at `y`. */
export function drawTitleBlock(r: Raster, block: TitleBlock, cx: number, y: number): void {
  cx = Math.min(Math.max(cx, MARGIN + block.width / 2), r.width - MARGIN - block.width / 2);
  const drawn = r.drawText(block.title, cx, y, { scale: TITLE_SCALE, color: INK, align: 'center', bold: true });
  if (block.caption !== '') r.drawText(block.caption, cx, y + drawn.height + 12, { scale: TEXT_SCALE, color: MUTED, align: 'center' });
}
