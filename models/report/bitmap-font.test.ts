import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph, hasGlyph } from './bitmap-font';

const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

describe('bitmap font', () => {
  it('has a glyph of the right size for every printable ASCII character', () => {
    for (const ch of printable) {
      assert.ok(hasGlyph(ch), `no glyph for ${JSON.stringify(ch)}`);
      const g = glyph(ch);
      assert.equal(g.length, GLYPH_HEIGHT);
      assert.ok(g.every((row) => row >= 0 && row < 1 << GLYPH_WIDTH));
    }
  });

  it('inks every character but the space, and no two alike', () => {
    assert.ok(glyph(' ').every((row) => row === 0));
    const seen = new Map<string, string>();
    for (const ch of printable.slice(1)) {
      assert.ok(glyph(ch).some((row) => row !== 0), `${JSON.stringify(ch)} is blank`);
      const key = glyph(ch).join(',');
      assert.equal(seen.get(key), undefined, `${JSON.stringify(ch)} looks like ${JSON.stringify(seen.get(key))}`);
      seen.set(key, ch);
    }
  });

  it('draws the em dash of titles and a "?" for what it lacks', () => {
    assert.ok(hasGlyph('\u2014'));
    assert.ok(!hasGlyph('\u4e2d'));
    assert.deepEqual(glyph('\u4e2d'), glyph('?'));
  });
});
