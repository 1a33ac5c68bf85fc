/** Bitmap fonts decoded from the generated font data (see build/font-from-psf.ts). */
import { base64Decode } from '../kernel/base64';
import type { FontData } from './font-data';

export class BitmapFont {
  readonly width: number;
  readonly height: number;
  readonly bytesPerRow: number;
  private readonly bitmap: Uint8Array;
  /** Characters in glyph order, all in the BMP: a glyph's number is its character's index here (no map of ~100 entries per font). */
  private readonly chars: string;
  private readonly fallback: number;

  constructor(data: FontData) {
    this.width = data.width;
    this.height = data.height;
    this.bytesPerRow = Math.ceil(data.width / 8);
    const bitmap = base64Decode(data.bitmap);
    if (!bitmap) throw new Error('font bitmap is not base64 (build/font-from-psf.ts)');
    this.bitmap = bitmap;
    if ([...data.chars].length !== data.chars.length) throw new Error('font characters outside the BMP (build/font-from-psf.ts)');
    this.chars = data.chars;
    this.fallback = Math.max(0, this.indexOf('?'));
  }

  has(ch: string): boolean {
    return this.indexOf(ch) >= 0;
  }

  /** Is pixel (x, y) of the glyph for `ch` inked? Unknown characters draw as '?'. */
  pixel(ch: string, x: number, y: number): boolean {
    return this.glyphPixel(this.glyph(ch), x, y);
  }

  /** Glyph number of `ch` ('?' for unknown characters): look it up once per character, not per pixel. */
  glyph(ch: string): number {
    const i = this.indexOf(ch);
    return i >= 0 ? i : this.fallback;
  }

  /** Glyph number of one character, -1 when the font lacks it (a longer text is no character). */
  private indexOf(ch: string): number {
    return ch.length === 1 ? this.chars.indexOf(ch) : -1;
  }

  /** Row `y` of a glyph as an integer, leftmost pixel in the highest of its bytesPerRow*8 bits. */
  glyphRow(glyph: number, y: number): number {
    const at = (glyph * this.height + y) * this.bytesPerRow;
    let bits = 0;
    for (let i = 0; i < this.bytesPerRow; i++) bits = (bits << 8) | this.bitmap[at + i];
    return bits;
  }

  glyphPixel(glyph: number, x: number, y: number): boolean {
    const row = this.bitmap[(glyph * this.height + y) * this.bytesPerRow + (x >> 3)];
    return ((row >> (7 - (x & 7))) & 1) === 1;
  }
}
