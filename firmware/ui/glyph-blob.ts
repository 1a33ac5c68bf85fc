/**
 * Glyphs read on demand from the image's font blob (GNU Unifont subset packed
 * by build/unifont-blob.ts). The blob stays a compact string in the image;
 * a glyph is decoded the first time it is drawn and kept in a small LRU
 * cache, so a directory of CJK names costs a few KiB of heap, not the font.
 */
export interface GlyphBlobData {
  /** Code points of the 8x16 glyphs, ascending, one UTF-16 unit each. */
  narrowIndex: string;
  /** Their rows, base64: 16 bytes a glyph, MSB = leftmost pixel. */
  narrowBits: string;
  /** Code points of the 16x16 (double width) glyphs, ascending. */
  wideIndex: string;
  /** Their rows, base64: 32 bytes a glyph (two bytes a row). */
  wideBits: string;
}

/** A decoded glyph: `rows[y]` with the leftmost pixel in bit `width - 1`. */
export interface Glyph {
  width: number;
  rows: number[];
}

export const BLOB_GLYPH_HEIGHT = 16;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CACHE_SIZE = 256;

function find(index: string, cp: number): number {
  let lo = 0;
  let hi = index.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = index.charCodeAt(mid);
    if (v === cp) return mid;
    if (v < cp) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** `count` bytes starting at byte `offset` of a base64 string (offset a multiple of 3 or not). */
function bytesAt(b64: string, offset: number, count: number): number[] {
  const out: number[] = [];
  let group = Math.floor(offset / 3);
  let skip = offset - group * 3;
  while (out.length < count) {
    const at = group * 4;
    const v = (B64.indexOf(b64[at]) << 18) | (B64.indexOf(b64[at + 1]) << 12) | (B64.indexOf(b64[at + 2]) << 6) | B64.indexOf(b64[at + 3]);
    for (let i = skip; i < 3 && out.length < count; i++) out.push((v >> (16 - 8 * i)) & 0xff);
    skip = 0;
    group++;
  }
  return out;
}

export class GlyphBlob {
  private readonly cache = new Map<number, Glyph | null>();
  /** Glyphs decoded so far (for the benchmark). */
  decoded = 0;

  constructor(private readonly data: GlyphBlobData) {}

  /** The glyph of a code point, or null when the font has none. */
  glyph(cp: number): Glyph | null {
    const hit = this.cache.get(cp);
    if (hit !== undefined) {
      // Refresh: a Map iterates in insertion order, so the first key is the least recently used.
      this.cache.delete(cp);
      this.cache.set(cp, hit);
      return hit;
    }
    const g = this.decode(cp);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(cp, g);
    return g;
  }

  get cached(): number {
    return this.cache.size;
  }

  private decode(cp: number): Glyph | null {
    if (cp > 0xffff) return null;
    let i = find(this.data.narrowIndex, cp);
    if (i >= 0) {
      this.decoded++;
      return { width: 8, rows: bytesAt(this.data.narrowBits, i * 16, 16) };
    }
    i = find(this.data.wideIndex, cp);
    if (i < 0) return null;
    this.decoded++;
    const b = bytesAt(this.data.wideBits, i * 32, 32);
    const rows: number[] = [];
    for (let y = 0; y < BLOB_GLYPH_HEIGHT; y++) rows.push((b[2 * y] << 8) | b[2 * y + 1]);
    return { width: 16, rows };
  }
}

let installed: GlyphBlob | null = null;

/** Called once by the image's entry with the blob the bundler packed (tests call it with their own). */
export function installGlyphBlob(data: GlyphBlobData): void {
  installed = new GlyphBlob(data);
}

export function glyphBlob(): GlyphBlob | null {
  return installed;
}
