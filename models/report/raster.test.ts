import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GLYPH_HEIGHT, LINE_HEIGHT } from './bitmap-font';
import { decode, isWhite } from '../../test/support/png';
import { Raster, type Rgb, measureText, wrapText } from './raster';

const RED: Rgb = [200, 30, 30];

/** The bounding box of the pixels that are not white. */
function inkBox(r: Raster): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let box: { x0: number; y0: number; x1: number; y1: number } | undefined;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      if (isWhite(r.pixel(x, y))) continue;
      box = box ? { x0: Math.min(box.x0, x), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x + 1), y1: Math.max(box.y1, y + 1) } : { x0: x, y0: y, x1: x + 1, y1: y + 1 };
    }
  }
  return box;
}

describe('Raster', () => {
  it('fills rectangles, clipped to the raster, and encodes them as PNG', () => {
    const r = new Raster(20, 10);
    r.fillRect(15, 5, 10, 10, RED);
    const png = decode(r.toPng());
    assert.equal(png.width, 20);
    assert.equal(png.height, 10);
    assert.deepEqual(png.pixel(14, 5), [255, 255, 255]);
    assert.deepEqual(png.pixel(15, 5), RED);
    assert.deepEqual(png.pixel(19, 9), RED);
    assert.equal(png.count(0, 0, 20, 10, (c) => !isWhite(c)), 5 * 5);
  });

  it('refuses a size it cannot be', () => {
    assert.throws(() => new Raster(0, 10), RangeError);
    assert.throws(() => new Raster(10, 1.5), /height must be an integer/);
    assert.throws(() => new Raster(100_000, 10), /width must be an integer from 1 to/);
  });

  it('measures text: 6 pixels a character less the last gap, 9 a line plus 2 between lines, times the scale', () => {
    assert.deepEqual(measureText('AB', 1), { width: 11, height: GLYPH_HEIGHT });
    assert.deepEqual(measureText('AB\nC', 2), { width: 22, height: 2 * (LINE_HEIGHT + GLYPH_HEIGHT) });
  });

  it('draws text inside its measured box, aligned on its anchor', () => {
    const r = new Raster(200, 60);
    const size = r.drawText('Hg', 100, 30, { scale: 2, color: RED, align: 'center', valign: 'middle' });
    assert.deepEqual(size, measureText('Hg', 2));
    const box = inkBox(r)!;
    assert.ok(box.x0 >= 100 - size.width / 2 && box.x1 <= 100 + size.width / 2, `x ${box.x0}..${box.x1}`);
    assert.ok(box.y0 >= 30 - size.height / 2 && box.y1 <= 30 + size.height / 2, `y ${box.y0}..${box.y1}`);
    assert.equal(box.y1 - box.y0, size.height, 'the g descends to the bottom of the box');
    assert.deepEqual(r.pixel(box.x0, box.y0), RED);
  });

  it('draws rotated text a quarter-turn counter-clockwise, reading bottom to top', () => {
    const r = new Raster(60, 100);
    const size = r.drawText('L', 10, 10, { scale: 2, rotate: true });
    assert.deepEqual(size, { width: measureText('L').height, height: measureText('L').width });
    // 'L' has a full-height stem on its left: turned, it runs along the bottom of the box.
    const box = inkBox(r)!;
    for (let x = box.x0; x < box.x0 + 14; x++) assert.ok(!isWhite(r.pixel(x, box.y1 - 1)), `stem at x=${x}`);
  });

  it('wraps at spaces to a width, keeping line breaks and over-long words', () => {
    const w = measureText('x'.repeat(12), 2).width;
    const wrapped = wrapText('Slightly Early (0-15 Minute Early)', w, 2);
    assert.equal(wrapped, 'Slightly\nEarly (0-15\nMinute\nEarly)');
    assert.ok(wrapped.split('\n').every((line) => line.length <= 12 || !line.includes(' ')));
    assert.equal(wrapText('a\nb c', 1000, 2), 'a\nb c');
    assert.equal(wrapText('Supercalifragilistic x', w, 2), 'Supercalifragilistic\nx');
  });
});
