/**
 * The image's glyph blob (build/unifont-blob.ts → firmware/ui/glyph-blob.ts):
 * every glyph decodes to the rows of font/unifont-subset.hex, wide glyphs are
 * 16 pixels, unknown code points have none, and the decoded-glyph cache stays
 * bounded however many different characters are drawn.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unifontBlob } from '../../build/unifont-blob';
import { GlyphBlob } from '../../firmware/ui/glyph-blob';

const hex = new Map<number, string>();
for (const line of fs.readFileSync(path.join(__dirname, '..', '..', 'font', 'unifont-subset.hex'), 'latin1').split('\n')) {
  const [cp, bits] = line.split(':');
  if (bits) hex.set(parseInt(cp, 16), bits.trim());
}
const blob = new GlyphBlob(unifontBlob());

function rowsOf(bits: string): number[] {
  const digits = bits.length / 16;
  return Array.from({ length: 16 }, (_, y) => parseInt(bits.slice(y * digits, (y + 1) * digits), 16));
}

test('every glyph of the subset decodes to its rows (sampled across every block)', () => {
  const cps = [...hex.keys()];
  for (let i = 0; i < cps.length; i += 97) {
    const g = blob.glyph(cps[i]);
    assert.ok(g, `U+${cps[i].toString(16)}`);
    assert.is(g!.width, hex.get(cps[i])!.length === 64 ? 16 : 8);
    assert.equal(g!.rows, rowsOf(hex.get(cps[i])!), `U+${cps[i].toString(16)}`);
  }
  for (const ch of ['ë', 'Ó', 'λ', 'Ж', 'ש', 'ع', '张', 'さ', '한']) assert.equal(blob.glyph(ch.codePointAt(0)!)!.rows, rowsOf(hex.get(ch.codePointAt(0)!)!), ch);
  assert.is(blob.glyph('张'.codePointAt(0)!)!.width, 16, 'CJK is double width');
});

test('a code point outside the subset has no glyph', () => {
  assert.is(blob.glyph(0x1f600), null);
  assert.is(blob.glyph(0x0e01), null);
});

test('the decoded-glyph cache stays bounded (LRU)', () => {
  const fresh = new GlyphBlob(unifontBlob());
  for (let cp = 0x4e00; cp < 0x4e00 + 1000; cp++) fresh.glyph(cp);
  assert.ok(fresh.cached <= 256, `${fresh.cached} glyphs cached`);
  const decoded = fresh.decoded;
  fresh.glyph(0x4e00 + 999);
  assert.is(fresh.decoded, decoded, 'a recent glyph comes from the cache');
  fresh.glyph(0x4e00);
  assert.is(fresh.decoded, decoded + 1, 'an evicted glyph is decoded again');
});

test.run();
