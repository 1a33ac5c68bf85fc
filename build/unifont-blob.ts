/**
 * Packs font/unifont-subset.hex into the image's `unifont` resource (layout:
 * firmware/ui/glyph-blob.ts): narrow (8x16) and wide (16x16) glyphs apart,
 * their code points ascending with the bounds of its slices for a quick
 * first search, then their rows. `phone build` puts it in the resource pack beside
 * the bundle (sim/host/resource-pack.ts); the firmware reads a glyph through
 * the HAL `resources` device when it first draws it, so the font never sits
 * in the engine's heap.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GLYPH_HEADER_BYTES } from '../firmware/ui/glyph-blob';

export const UNIFONT_SUBSET = path.resolve(__dirname, '..', 'font', 'unifont-subset.hex');
/** Code points per index slice: one read of 128 bytes finds a glyph, and the samples held in RAM stay near 1 KiB. */
export const GLYPH_INDEX_STRIDE = 64;

/**
 * The index cut into slices of at most GLYPH_INDEX_STRIDE code points, and at
 * every gap wider than a slice (between two scripts): first, last, start of each.
 */
function slicesOf(cps: number[]): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 1; i <= cps.length; i++) {
    if (i === cps.length || i - start === GLYPH_INDEX_STRIDE || cps[i] - cps[i - 1] > GLYPH_INDEX_STRIDE) {
      out.push(cps[start], cps[i - 1], start);
      start = i;
    }
  }
  return out;
}

export function unifontGlyphResource(hexFile = UNIFONT_SUBSET): Buffer {
  const narrow: [number, Buffer][] = [];
  const wide: [number, Buffer][] = [];
  for (const line of fs.readFileSync(hexFile, 'latin1').split('\n')) {
    const m = /^([0-9A-F]{4}):([0-9A-F]+)$/.exec(line.trim());
    if (!m) continue;
    const cp = parseInt(m[1], 16);
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    (m[2].length === 64 ? wide : narrow).push([cp, Buffer.from(m[2], 'hex')]);
  }
  narrow.sort((a, b) => a[0] - b[0]);
  wide.sort((a, b) => a[0] - b[0]);
  const u16 = (values: number[]) => {
    const b = Buffer.alloc(2 * values.length);
    values.forEach((v, i) => b.writeUInt16LE(v, 2 * i));
    return b;
  };
  const narrowSlices = slicesOf(narrow.map((g) => g[0]));
  const wideSlices = slicesOf(wide.map((g) => g[0]));
  const header = Buffer.alloc(GLYPH_HEADER_BYTES);
  header.writeUInt32LE(narrow.length, 0);
  header.writeUInt32LE(wide.length, 4);
  header.writeUInt32LE(GLYPH_INDEX_STRIDE, 8);
  header.writeUInt16LE(narrowSlices.length / 3, 12);
  header.writeUInt16LE(wideSlices.length / 3, 14);
  return Buffer.concat([
    header, u16(narrowSlices), u16(wideSlices),
    u16(narrow.map((g) => g[0])), u16(wide.map((g) => g[0])),
    ...narrow.map((g) => g[1]), ...wide.map((g) => g[1]),
  ]);
}

/** Every resource of the image, by name (what `phone build` packs beside the bundle). */
export function imageResources(): Record<string, Uint8Array> {
  return { unifont: unifontGlyphResource() };
}
