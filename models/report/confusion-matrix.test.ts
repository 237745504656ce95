import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confusionMatrixLayout, confusionMatrixPng, shareColor } from './confusion-matrix';
import { decode, isDarkInk, isWhite, luminance } from '../../test/support/png';
import { sampleConfusion, sampleLabels } from '../../test/support/chart-samples';

const title = 'Confusion matrix \u2014 held-out rows, accuracy 0.529';

describe('confusionMatrixPng', () => {
  const png = decode(confusionMatrixPng(sampleConfusion, sampleLabels, { title }));
  const layout = confusionMatrixLayout(sampleConfusion, sampleLabels, { title });
  /** A cell's fill: a pixel near its top-left corner, clear of its text and of the lines between cells. */
  const fill = (i: number, j: number) => png.pixel(layout.gridX + j * layout.cellW + 6, layout.gridY + i * layout.cellH + 6);

  it('is a sensible size, as laid out', () => {
    assert.equal(png.width, layout.width);
    assert.equal(png.height, layout.height);
    assert.ok(png.width >= 800 && png.width <= 2000, `width ${png.width}`);
    assert.ok(png.height >= 500 && png.height <= 1200, `height ${png.height}`);
    assert.ok(layout.cellW >= 150 && layout.cellH >= 100);
  });

  it('colours each cell by its share of the row, the darkest where that share is highest', () => {
    const shares = sampleConfusion.map((row) => row.map((v) => v / row.reduce((a, b) => a + b, 0)));
    let darkest = [0, 0];
    let highest = [0, 0];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        assert.deepEqual(fill(i, j), shareColor(shares[i]![j]!), `cell ${i},${j}`);
        if (luminance(fill(i, j)) < luminance(fill(darkest[0]!, darkest[1]!))) darkest = [i, j];
        if (shares[i]![j]! > shares[highest[0]!]![highest[1]!]!) highest = [i, j];
      }
    }
    assert.deepEqual(darkest, [3, 3]);
    assert.deepEqual(highest, [3, 3]);
    // 2 % of a row is near white; the diagonal's 65 % is a deep blue.
    assert.ok(luminance(fill(0, 3)) > 235);
    assert.ok(fill(3, 3)[2] > fill(3, 3)[0] + 60, 'blue');
  });

  it('writes text in every cell, in the title area and beside the grid', () => {
    const { gridX, gridY, cellW, cellH } = layout;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const bg = fill(i, j);
        const x = gridX + j * cellW;
        const y = gridY + i * cellH;
        const ink = png.count(x + 10, y + 10, x + cellW - 10, y + cellH - 10, (c) => c.join() !== bg.join());
        assert.ok(ink > 150, `cell ${i},${j} has ${ink} text pixels`);
      }
    }
    assert.ok(png.count(0, 0, png.width, gridY - 10, isDarkInk) > 1500, 'title');
    assert.ok(png.count(0, gridY, gridX - 10, gridY + 4 * cellH, isDarkInk) > 1500, 'row labels');
    assert.ok(png.count(gridX, gridY + 4 * cellH + 4, gridX + 4 * cellW, png.height, isDarkInk) > 1500, 'column labels');
  });

  it('draws the colour bar from deep blue at the top to white at the bottom', () => {
    const x = layout.colorbarX + 10;
    assert.deepEqual(png.pixel(x, layout.gridY), shareColor(1));
    assert.deepEqual(png.pixel(x, layout.gridY + 4 * layout.cellH - 1), shareColor(0));
  });

  it('leaves a row with no rows white, and wraps a long title', () => {
    const confusion = [[0, 0], [3, 9]];
    const short = decode(confusionMatrixPng(confusion, ['a', 'b']));
    const l = confusionMatrixLayout(confusion, ['a', 'b']);
    assert.ok(isWhite(short.pixel(l.gridX + 6, l.gridY + 6)));
    const long = confusionMatrixLayout(confusion, ['a', 'b'], { title: 'word '.repeat(60) });
    assert.ok(long.gridY > l.gridY + 40, 'the title takes more lines');
    assert.equal(long.width, l.width);
  });

  it('refuses bad input with a RangeError naming the problem', () => {
    const labels = ['a', 'b'];
    assert.throws(() => confusionMatrixPng([[1, 2], [3]], labels), { name: 'RangeError', message: /ragged matrix: row 1 has 1 cells/ });
    assert.throws(() => confusionMatrixPng([[1, 2, 3], [4, 5, 6]], labels), { name: 'RangeError', message: /not square/ });
    assert.throws(() => confusionMatrixPng([[1, 2], [3, 4]], ['a']), { name: 'RangeError', message: /1 labels for 2 classes/ });
    assert.throws(() => confusionMatrixPng([[1, NaN], [3, 4]], labels), { name: 'RangeError', message: /cell \[0\]\[1\] is NaN/ });
    assert.throws(() => confusionMatrixPng([[1, 2], [-3, 4]], labels), { name: 'RangeError', message: /cell \[1\]\[0\] is -3/ });
    assert.throws(() => confusionMatrixPng([[1, 2], [3, Infinity]], labels), { name: 'RangeError', message: /is Infinity/ });
    assert.throws(() => confusionMatrixPng([], []), { name: 'RangeError', message: /no rows/ });
  });
});
