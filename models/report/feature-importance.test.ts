import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BAR_COLOR, type FeatureImportance, featureImportancePng } from './feature-importance';
import { type Decoded, decode, isDarkInk } from '../../test/support/png';
import { sampleImportances } from '../../test/support/chart-samples';

interface Bar {
  /** Where the bar starts. */
  x: number;
  top: number;
  bottom: number;
  length: number;
}

const isBar = (c: readonly number[]): boolean => c.join() === BAR_COLOR.join();

/** Every bar, top to bottom: the runs of bar colour down the column where the bars start. */
function bars(png: Decoded): Bar[] {
  let x0 = -1;
  for (let x = 0; x < png.width && x0 < 0; x++) for (let y = 0; y < png.height; y++) if (isBar(png.pixel(x, y))) { x0 = x; break; }
  const found: Bar[] = [];
  for (let y = 0; y < png.height; y++) {
    if (!isBar(png.pixel(x0, y))) continue;
    const top = y;
    while (y < png.height && isBar(png.pixel(x0, y))) y++;
    let length = 0;
    while (isBar(png.pixel(x0 + length, top + 1))) length++;
    found.push({ x: x0, top, bottom: y, length });
  }
  return found;
}

describe('featureImportancePng', () => {
  it('is a sensible size with a title and a bar for each feature, largest first', () => {
    const shuffled = [...sampleImportances].reverse();
    const png = decode(featureImportancePng(shuffled, { title: 'Feature importance' }));
    assert.ok(png.width >= 600 && png.width <= 1400, `width ${png.width}`);
    assert.ok(png.height >= 300 && png.height <= 900, `height ${png.height}`);
    const found = bars(png);
    assert.equal(found.length, sampleImportances.length);
    for (let i = 1; i < found.length; i++) assert.ok(found[i]!.length <= found[i - 1]!.length, `bar ${i} is longer than the one above`);
    assert.ok(png.count(0, 0, png.width, found[0]!.top - 8, isDarkInk) > 1000, 'title text');
    // Names at the left of the bars, values at their ends.
    for (const bar of [found[0]!, found[found.length - 1]!]) {
      const end = bar.x + bar.length;
      assert.ok(png.count(0, bar.top, bar.x - 4, bar.bottom, isDarkInk) > 100, 'a name left of the bar');
      assert.ok(png.count(end + 2, bar.top, end + 80, bar.bottom, isDarkInk) > 100, 'a value right of the bar');
      assert.equal(png.count(end + 80, bar.top, png.width, bar.bottom, isDarkInk), 0, 'nothing further right');
    }
  });

  it('draws bars whose lengths are proportional to the importances', () => {
    const input: FeatureImportance[] = [
      { feature: 'a', importance: 0.8 },
      { feature: 'b', importance: 0.4 },
      { feature: 'c', importance: 0.1 },
      { feature: 'd', importance: 0 },
    ];
    const found = bars(decode(featureImportancePng(input)));
    assert.equal(found.length, 3, 'no bar for an importance of 0');
    const [a, b, c] = found.map((f) => f.length) as [number, number, number];
    assert.ok(Math.abs(b / a - 0.5) < 0.01, `${b} / ${a}`);
    assert.ok(Math.abs(c / a - 0.125) < 0.01, `${c} / ${a}`);
    assert.ok(found.every((f) => f.bottom - f.top >= 16), 'bars are thick enough to see');
  });

  it('draws all-zero importances without dividing by zero', () => {
    const png = decode(featureImportancePng([{ feature: 'x', importance: 0 }]));
    assert.equal(bars(png).length, 0);
  });

  it('refuses bad input with a RangeError naming the problem', () => {
    assert.throws(() => featureImportancePng([]), { name: 'RangeError', message: /no features/ });
    assert.throws(() => featureImportancePng([{ feature: 'Distance', importance: -0.1 }]), { name: 'RangeError', message: /importance of "Distance" is -0.1/ });
    assert.throws(() => featureImportancePng([{ feature: 'DepDelay', importance: NaN }]), { name: 'RangeError', message: /importance of "DepDelay" is NaN/ });
    assert.throws(() => featureImportancePng([{ feature: 'x', importance: Infinity }]), { name: 'RangeError', message: /is Infinity/ });
  });
});
