/** Bitmap fonts decoded from the generated font data (see build/font-from-psf.ts). */
import { base64Decode } from '../kernel/base64';
import type { FontData } from './font-data';

export class BitmapFont {
  readonly width: number;
  readonly height: number;
  readonly bytesPerRow: number;
  private readonly bitmap: Uint8Array;
  private readonly index = new Map<string, number>();
  private readonly fallback: number;

  constructor(data: FontData) {
    this.width = data.width;
    this.height = data.height;
    this.bytesPerRow = Math.ceil(data.width / 8);
    const bitmap = base64Decode(data.bitmap);
    if (!bitmap) throw new Error('font bitmap is not base64 (build/font-from-psf.ts)');
    this.bitmap = bitmap;
    let i = 0;
    for (const ch of data.chars) this.index.set(ch, i++);
    this.fallback = this.index.get('?') ?? 0;
  }

  has(ch: string): boolean {
    return this.index.has(ch);
  }

  /** Is pixel (x, y) of the glyph for `ch` inked? Unknown characters draw as '?'. */
  pixel(ch: string, x: number, y: number): boolean {
    return this.glyphPixel(this.glyph(ch), x, y);
  }

  /** Glyph number of `ch` ('?' for unknown characters): look it up once per character, not per pixel. */
  glyph(ch: string): number {
    return this.index.get(ch) ?? this.fallback;
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
