import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { calibration } from '../metrics';
import { ACCURACY_COLOR, CONFIDENCE_COLOR, reliabilityLayout, reliabilityPng } from './reliability';
import { decode, isWhite } from '../../test/support/png';

const same = (a: readonly number[], b: readonly number[]): boolean => a.join() === b.join();

describe('reliabilityPng', () => {
  // 100 rows at confidence 0.75, 60 of them right; 50 rows at 0.95, all right.
  const k = 2;
  const y: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < 100; i++) { y.push(i < 60 ? 0 : 1); p.push(0.75, 0.25); }
  for (let i = 0; i < 50; i++) { y.push(1); p.push(0.05, 0.95); }
  const { ece, calibration: bins } = calibration(y, new Float64Array(p), k);
  const options = { title: 'Reliability, held-out rows', ece };
  const png = decode(reliabilityPng(bins, options));
  const layout = reliabilityLayout(bins, options);
  const xOf = (v: number): number => layout.plotX + Math.round(v * layout.plotSize);
  const yOf = (v: number): number => layout.plotY + layout.plotSize - Math.round(v * layout.plotSize);
  if (process.env.CHART_OUT) writeFileSync(process.env.CHART_OUT, reliabilityPng(bins, options));

  it('is a sensible size, as laid out', () => {
    assert.equal(png.width, layout.width);
    assert.equal(png.height, layout.height);
    assert.ok(png.width >= 700 && png.width <= 1400, `width ${png.width}`);
    assert.ok(png.height >= 600 && png.height <= 1200, `height ${png.height}`);
  });

  it('draws each bin up to its share right, with its confidence marked, and nothing for an empty bin', () => {
    assert.ok(Math.abs(ece - (100 / 150) * 0.15 - (50 / 150) * 0.05) < 1e-12);
    // Bin [0.7, 0.8): accuracy 0.6 → bar from 0 to 0.6; confidence 0.75 marked above it.
    const x = xOf(0.72); // off the diagonal, which crosses the bin at 0.75
    assert.ok(same(png.pixel(x, yOf(0.3)), ACCURACY_COLOR), 'bar below its top');
    assert.ok(same(png.pixel(x, yOf(0.59)), ACCURACY_COLOR), 'bar just under 0.6');
    assert.ok(!same(png.pixel(x, yOf(0.62)), ACCURACY_COLOR), 'no bar above 0.6');
    assert.ok(same(png.pixel(x, yOf(0.75)), CONFIDENCE_COLOR), 'confidence mark at 0.75');
    // Bin [0.9, 1]: all right, bar to the top.
    assert.ok(same(png.pixel(xOf(0.95), yOf(0.97)), ACCURACY_COLOR));
    // Bin [0.3, 0.4) is empty: white but for grid lines and the diagonal.
    const blank = png.count(xOf(0.31), yOf(0.2), xOf(0.39), yOf(0.05), (c) => same(c, ACCURACY_COLOR) || same(c, CONFIDENCE_COLOR));
    assert.equal(blank, 0);
    assert.ok(isWhite(png.pixel(xOf(0.33), yOf(0.1))));
  });

  it('refuses bins out of range', () => {
    assert.throws(() => reliabilityPng([]), /no bins/);
    assert.throws(() => reliabilityPng([{ lower: 0, upper: 1, rows: 3, confidence: 1.2, accuracy: 0.5 }]), /bin 0: confidence is 1.2/);
    assert.throws(() => reliabilityPng([{ lower: 0, upper: 1, rows: 1.5, confidence: 0.5, accuracy: 0.5 }]), /rows is 1.5/);
  });
});
