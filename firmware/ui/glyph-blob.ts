/**
 * Glyphs read on demand from the image's `unifont` resource (the GNU Unifont
 * subset packed by build/unifont-blob.ts), through the HAL `resources`
 * device: the font stays in the image, never in the heap. A glyph is read the
 * first time it is drawn (two small reads: a slice of the code point index,
 * then its rows) and kept in a small LRU cache, so a directory of CJK names
 * costs a few KiB of heap, not the font. Layout of the resource, little-endian:
 *
 *   narrow count u32 | wide count u32 | longest slice u32 | narrow slices u16 | wide slices u16
 *   | each slice of the narrow index: its first and last code point and its start u16 u16 u16…, then the wide ones
 *   | narrow code points u16… | wide code points u16… (both ascending)
 *   | narrow rows, 16 bytes a glyph | wide rows, 32 bytes a glyph (two a row, MSB = leftmost pixel)
 *
 * The index is cut into slices of at most 64 code points, and at every gap in
 * the code points wider than a slice, so a code point between two scripts
 * costs no read. The slices' bounds (about 3 KiB) are the only part held in RAM,
 * and only from the first glyph looked up (a phone showing only its console
 * font's characters, English, never reads them).
 */
import type { Resources } from '../../hal/contract';

/** A decoded glyph: `rows[y]` with the leftmost pixel in bit `width - 1`. */
export interface Glyph {
  width: number;
  rows: number[];
}

export const BLOB_GLYPH_HEIGHT = 16;
export const GLYPH_RESOURCE = 'unifont';
export const GLYPH_HEADER_BYTES = 16;
const CACHE_SIZE = 256;

/** One kind of glyph (8 or 16 pixels wide): where its index and rows are in the resource. */
interface GlyphKind {
  width: 8 | 16;
  count: number;
  /** First code point of each slice of the index. */
  firsts: Uint16Array;
  /** Last code point of each slice. */
  lasts: Uint16Array;
  /** Position in the index of each slice's first code point. */
  starts: Uint16Array;
  indexAt: number;
  rowsAt: number;
  bytesPerGlyph: number;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
}

function u16s(b: Uint8Array): Uint16Array {
  const out = new Uint16Array(b.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = b[2 * i] | (b[2 * i + 1] << 8);
  return out;
}

/** Index of the last entry <= cp, or -1. */
function lastAtMost(a: Uint16Array, cp: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= cp) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

export class GlyphBlob {
  private readonly cache = new Map<number, Glyph | null>();
  /** The slices' bounds, read at the first glyph looked up: a phone that draws only its console font's characters never holds them. */
  private kindsRead: GlyphKind[] | null = null;
  private readonly longestSlice: number;
  private readonly layout: { narrow: number; wide: number; slices: number[]; indexAt: number; rowsAt: number };
  /** Glyphs read from the image so far (for the tests and the benchmark). */
  decoded = 0;

  /** Throws when the resource is missing or its header does not match its size (a broken image). */
  constructor(private readonly resources: Resources, private readonly name = GLYPH_RESOURCE) {
    const size = resources.size(name);
    if (size < GLYPH_HEADER_BYTES) throw new Error(`image resource ${name}: ${size} bytes, no glyph header`);
    const h = resources.read(name, 0, GLYPH_HEADER_BYTES);
    const narrow = u32(h, 0);
    const wide = u32(h, 4);
    this.longestSlice = u32(h, 8);
    const slices = [h[12] | (h[13] << 8), h[14] | (h[15] << 8)];
    if (this.longestSlice < 1 || this.longestSlice > 4096) throw new Error(`image resource ${name}: index slices of ${this.longestSlice} out of range`);
    const indexAt = GLYPH_HEADER_BYTES + 6 * (slices[0] + slices[1]);
    const rowsAt = indexAt + 2 * (narrow + wide);
    const expected = rowsAt + 16 * narrow + 32 * wide;
    if (expected !== size) throw new Error(`image resource ${name}: ${size} bytes, its header describes ${expected}`);
    this.layout = { narrow, wide, slices, indexAt, rowsAt };
  }

  private get kinds(): GlyphKind[] {
    if (this.kindsRead) return this.kindsRead;
    const { narrow, wide, slices, indexAt, rowsAt } = this.layout;
    const bounds = u16s(this.resources.read(this.name, GLYPH_HEADER_BYTES, indexAt - GLYPH_HEADER_BYTES));
    const column = (from: number, count: number, k: number) => {
      const out = new Uint16Array(count);
      for (let i = 0; i < count; i++) out[i] = bounds[3 * (from + i) + k];
      return out;
    };
    const kind = (width: 8 | 16, count: number, from: number, n: number, at: number, rows: number): GlyphKind =>
      ({ width, count, firsts: column(from, n, 0), lasts: column(from, n, 1), starts: column(from, n, 2), indexAt: at, rowsAt: rows, bytesPerGlyph: width * 2 });
    this.kindsRead = [kind(8, narrow, 0, slices[0], indexAt, rowsAt), kind(16, wide, slices[0], slices[1], indexAt + 2 * narrow, rowsAt + 16 * narrow)];
    return this.kindsRead;
  }

  /** The glyph of a code point, or null when the font has none. */
  glyph(cp: number): Glyph | null {
    const hit = this.cache.get(cp);
    if (hit !== undefined) {
      // Refresh: a Map iterates in insertion order, so the first key is the least recently used.
      this.cache.delete(cp);
      this.cache.set(cp, hit);
      return hit;
    }
    const g = this.read(cp);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(cp, g);
    return g;
  }

  get cached(): number {
    return this.cache.size;
  }

  private read(cp: number): Glyph | null {
    if (cp > 0xffff) return null;
    for (const kind of this.kinds) {
      const i = this.indexOf(kind, cp);
      if (i < 0) continue;
      this.decoded++;
      const b = this.resources.read(this.name, kind.rowsAt + i * kind.bytesPerGlyph, kind.bytesPerGlyph);
      const rows: number[] = [];
      for (let y = 0; y < BLOB_GLYPH_HEIGHT; y++) rows.push(kind.width === 8 ? b[y] : (b[2 * y] << 8) | b[2 * y + 1]);
      return { width: kind.width, rows };
    }
    return null;
  }

  /** Position of `cp` in the kind's index: the slices' bounds say which slice to read, if any. */
  private indexOf(kind: GlyphKind, cp: number): number {
    const block = lastAtMost(kind.firsts, cp);
    if (block < 0 || cp > kind.lasts[block]) return -1;
    const first = kind.starts[block];
    const n = (block + 1 < kind.starts.length ? kind.starts[block + 1] : kind.count) - first;
    if (n < 1 || n > this.longestSlice) return -1;
    const slice = u16s(this.resources.read(this.name, kind.indexAt + 2 * first, 2 * n));
    const j = lastAtMost(slice, cp);
    return j >= 0 && slice[j] === cp ? first + j : -1;
  }
}

let installed: GlyphBlob | null = null;

/**
 * Called at boot with the HAL's resources: glyphs for every script when the
 * image carries the font. Returns the reason when it does not (logged by the
 * caller; the phone then draws '?' for those characters).
 */
export function installGlyphBlob(resources: Resources | undefined): string | null {
  installed = null;
  if (!resources || resources.size(GLYPH_RESOURCE) === 0) return `the image has no ${GLYPH_RESOURCE} resource: only the console font's characters can be drawn`;
  try {
    installed = new GlyphBlob(resources);
    return null;
  } catch (e) {
    return `${(e as Error).message}: only the console font's characters can be drawn`;
  }
}

export function glyphBlob(): GlyphBlob | null {
  return installed;
}
