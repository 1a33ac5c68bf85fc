/**
 * The image's `unifont` resource (build/unifont-blob.ts → firmware/ui/glyph-blob.ts):
 * every glyph read through the HAL resources device decodes to the rows of
 * font/unifont-subset.hex, wide glyphs are 16 pixels, unknown code points have
 * none, the cache of read glyphs stays bounded, a glyph costs two small reads
 * (the sampled index is read at the first one, not at install),
 * and a broken resource is refused with a reason instead of drawing garbage.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unifontGlyphResource } from '../../build/unifont-blob';
import type { Resources } from '../../hal/contract';
import { GlyphBlob, glyphBlob, installGlyphBlob } from '../../firmware/ui/glyph-blob';

const hex = new Map<number, string>();
for (const line of fs.readFileSync(path.join(__dirname, '..', '..', 'font', 'unifont-subset.hex'), 'latin1').split('\n')) {
  const [cp, bits] = line.split(':');
  if (bits) hex.set(parseInt(cp, 16), bits.trim());
}
const resource = unifontGlyphResource();

/** A resources device over `bytes` that counts its reads (bytes and calls). */
function resourcesOf(bytes: Uint8Array, name = 'unifont'): Resources & { reads: number; bytesRead: number } {
  const r = {
    reads: 0,
    bytesRead: 0,
    size: (n: string) => (n === name ? bytes.length : 0),
    read(n: string, offset: number, length: number) {
      if (n !== name || offset < 0 || offset + length > bytes.length) throw new RangeError(`outside ${n}`);
      r.reads++;
      r.bytesRead += length;
      return bytes.slice(offset, offset + length);
    },
  };
  return r;
}

const blob = new GlyphBlob(resourcesOf(resource));

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
  const fresh = new GlyphBlob(resourcesOf(resource));
  for (let cp = 0x4e00; cp < 0x4e00 + 1000; cp++) fresh.glyph(cp);
  assert.ok(fresh.cached <= 256, `${fresh.cached} glyphs cached`);
  const decoded = fresh.decoded;
  fresh.glyph(0x4e00 + 999);
  assert.is(fresh.decoded, decoded, 'a recent glyph comes from the cache');
  fresh.glyph(0x4e00);
  assert.is(fresh.decoded, decoded + 1, 'an evicted glyph is decoded again');
});

test('a glyph is read with two small reads; the sampled index only at the first glyph, never at install', () => {
  const device = resourcesOf(resource);
  const lazy = new GlyphBlob(device);
  assert.is(device.bytesRead, 16, 'the header alone at install: a phone that draws only console characters holds no index');
  lazy.glyph('张'.codePointAt(0)!);
  assert.is(device.reads, 1 + 3, 'the sampled index once, then index slice + rows');
  assert.ok(device.bytesRead < 16 + 4096 + 128 + 32, `${device.bytesRead} bytes for the index and one glyph`);
  const before = { reads: device.reads, bytes: device.bytesRead };
  lazy.glyph('张'.codePointAt(0)!);
  assert.is(device.reads, before.reads, 'the second draw comes from the cache');
  lazy.glyph('한'.codePointAt(0)!);
  assert.is(device.reads - before.reads, 2, 'index slice + rows');
  assert.ok(device.bytesRead - before.bytes <= 128 + 32, `${device.bytesRead - before.bytes} bytes for one glyph`);
});

test('a truncated or missing resource is refused with a reason, and no glyphs are installed', () => {
  assert.match(installGlyphBlob(resourcesOf(resource.subarray(0, resource.length - 1))) ?? '', /bytes, its header describes/);
  assert.is(glyphBlob(), null);
  assert.match(installGlyphBlob(undefined) ?? '', /no unifont resource/);
  assert.match(installGlyphBlob(resourcesOf(resource, 'other')) ?? '', /no unifont resource/);
  assert.is(installGlyphBlob(resourcesOf(resource)), null);
  assert.ok(glyphBlob()?.glyph(0x5f20));
});

test.run();
