/** Decoding the charts' PNGs in tests. */
import { PNG } from 'pngjs';
import type { Rgb } from '../../models/report';

export interface Decoded {
  width: number;
  height: number;
  pixel(x: number, y: number): Rgb;
  /** Pixels in the rectangle [x0, x1) × [y0, y1) that `test` accepts. */
  count(x0: number, y0: number, x1: number, y1: number, test: (c: Rgb) => boolean): number;
}

export function decode(png: Buffer): Decoded {
  const img = PNG.sync.read(png);
  const pixel = (x: number, y: number): Rgb => {
    const i = (y * img.width + x) * 4;
    return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
  };
  const count = (x0: number, y0: number, x1: number, y1: number, test: (c: Rgb) => boolean): number => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (test(pixel(x, y))) n++;
    return n;
  };
  return { width: img.width, height: img.height, pixel, count };
}

export const luminance = ([r, g, b]: Rgb): number => 0.299 * r + 0.587 * g + 0.114 * b;
export const isWhite = (c: Rgb): boolean => c[0] === 255 && c[1] === 255 && c[2] === 255;
export const isDarkInk = (c: Rgb): boolean => luminance(c) < 80;
