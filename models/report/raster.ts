/** An opaque RGBA raster to draw charts into: filled rectangles and bitmap-font text, encoded as PNG. */
import { PNG } from 'pngjs';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, LINE_HEIGHT, glyph } from './bitmap-font';

export type Rgb = readonly [number, number, number];

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];

/** The largest side a raster may have: far past any chart, short of exhausting memory. */
export const MAX_SIDE = 16_384;

export interface TextSize {
  width: number;
  height: number;
}

export interface TextOptions {
  /** Each font pixel becomes scale × scale pixels (default 2). */
  scale?: number;
  color?: Rgb;
  /** Where x is, on the text block: its left edge, centre or right edge; lines align the same way. */
  align?: 'left' | 'center' | 'right';
  /** Where y is, on the text block: its top, middle or bottom. */
  valign?: 'top' | 'middle' | 'bottom';
  /** Thicken every stroke by one pixel to the right (the block grows by one pixel). */
  bold?: boolean;
  /** Draw the text turned a quarter-turn counter-clockwise, to read bottom to top. */
  rotate?: boolean;
}

function lines(text: string): string[] {
  return text.replace(/\t/g, ' ').split('\n');
}

function lineWidth(line: string): number {
  const n = [...line].length;
  return n === 0 ? 0 : n * GLYPH_ADVANCE - (GLYPH_ADVANCE - GLYPH_WIDTH);
}

/** The size in pixels of `text` (lines split at '\n'), unrotated, at `scale`. */
export function measureText(text: string, scale = 2): TextSize {
  const ls = lines(text);
  const width = Math.max(...ls.map(lineWidth));
  const height = (ls.length - 1) * LINE_HEIGHT + GLYPH_HEIGHT;
  return { width: width * scale, height: height * scale };
}

/**
 * Wraps `text` at spaces so that no line is wider than `maxWidth` pixels at `scale`; a single word
 * wider than that keeps a line of its own. Existing line breaks are kept.
 */
export function wrapText(text: string, maxWidth: number, scale = 2): string {
  const out: string[] = [];
  for (const line of lines(text)) {
    let current = '';
    for (const word of line.split(' ').filter((w) => w !== '')) {
      const candidate = current === '' ? word : `${current} ${word}`;
      if (current !== '' && measureText(candidate, scale).width > maxWidth) {
        out.push(current);
        current = word;
      } else {
        current = candidate;
      }
    }
    out.push(current);
  }
  return out.join('\n');
}

function checkSide(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
    throw new RangeError(`Raster: ${name} must be an integer from 1 to ${MAX_SIDE}, got ${value}`);
  }
}

export class Raster {
  /** RGBA, row by row, 4 bytes a pixel. */
  readonly data: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = WHITE,
  ) {
    checkSide('width', width);
    checkSide('height', height);
    this.data = Buffer.alloc(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Fills the rectangle (coordinates rounded, clipped to the raster). */
  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) {
      for (let px = x0; px < x1; px++) this.set(px, py, color);
    }
  }

  /** Draws a rectangle's outline `thickness` pixels wide, inside the rectangle. */
  strokeRect(x: number, y: number, w: number, h: number, color: Rgb, thickness = 1): void {
    this.fillRect(x, y, w, thickness, color);
    this.fillRect(x, y + h - thickness, w, thickness, color);
    this.fillRect(x, y, thickness, h, color);
    this.fillRect(x + w - thickness, y, thickness, h, color);
  }

  /** The colour of one pixel. */
  pixel(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 4;
    return [this.data[i]!, this.data[i + 1]!, this.data[i + 2]!];
  }

  /** Draws `text` (lines split at '\n') anchored at (x, y) as the options say; returns its drawn size. */
  drawText(text: string, x: number, y: number, options: TextOptions = {}): TextSize {
    const { scale = 2, color = BLACK, align = 'left', valign = 'top', rotate = false, bold = false } = options;
    const size = measureText(text, scale);
    const thick = bold ? 1 : 0;
    size.width += thick;
    const drawn = rotate ? { width: size.height, height: size.width } : size;
    const left = Math.round(align === 'left' ? x : align === 'center' ? x - drawn.width / 2 : x - drawn.width);
    const top = Math.round(valign === 'top' ? y : valign === 'middle' ? y - drawn.height / 2 : y - drawn.height);
    // (u, v) is a pixel of the unrotated block; a quarter-turn counter-clockwise puts it at (v, width - 1 - u).
    const plot = rotate
      ? (u: number, v: number): void => this.fillRect(left + v, top + size.width - scale - thick - u, scale, scale + thick, color)
      : (u: number, v: number): void => this.fillRect(left + u, top + v, scale + thick, scale, color);
    lines(text).forEach((line, row) => {
      const w = lineWidth(line) * scale + thick;
      const offset = align === 'left' ? 0 : align === 'center' ? Math.floor((size.width - w) / 2) : size.width - w;
      [...line].forEach((ch, col) => {
        const rows = glyph(ch);
        for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
          const bits = rows[gy]!;
          for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
            if (bits & (1 << (GLYPH_WIDTH - 1 - gx))) {
              plot(offset + (col * GLYPH_ADVANCE + gx) * scale, (row * LINE_HEIGHT + gy) * scale);
            }
          }
        }
      });
    });
    return drawn;
  }

  /** The raster as PNG bytes. */
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    this.data.copy(png.data);
    return PNG.sync.write(png);
  }

  private set(x: number, y: number, color: Rgb): void {
    const i = (y * this.width + x) * 4;
    this.data[i] = color[0];
    this.data[i + 1] = color[1];
    this.data[i + 2] = color[2];
    this.data[i + 3] = 255;
  }
}
