/**
 * An off-screen strip of the display in its pixel format, drawn with logical
 * colours in screen coordinates, then blitted. The strip covers rows
 * `originY` … `originY + height - 1`: one text band at a time, so the
 * firmware never holds a whole frame (150 KiB on the RGB565 board).
 */
import type { PixelFormat } from '../../hal/contract';
import { visualOrder, type TextFont } from './text-font';

export type Colour = 'paper' | 'ink' | 'bar' | 'barInk' | 'focus' | 'focusInk' | 'dim';

/** RGB565 values of the colour theme; mono maps each colour to on/off. */
const RGB565: Record<Colour, number> = {
  paper: 0xffff, ink: 0x0000, bar: 0x1a6b, barInk: 0xffff, focus: 0x3d9f, focusInk: 0x0000, dim: 0x8410,
};
const MONO: Record<Colour, 0 | 1> = { paper: 0, ink: 1, bar: 1, barInk: 0, focus: 1, focusInk: 0, dim: 1 };

export class Canvas {
  readonly pixels: Uint8Array;
  readonly stride: number;
  /** Screen row of the strip's first row; drawing outside the strip is clipped. */
  originY = 0;

  constructor(readonly width: number, readonly height: number, readonly format: PixelFormat) {
    this.stride = format === 'mono1' ? Math.ceil(width / 8) : width * 2;
    this.pixels = new Uint8Array(this.stride * height);
  }

  fillRect(x: number, screenY: number, w: number, h: number, colour: Colour): void {
    const y = screenY - this.originY;
    if (x <= 0 && w >= this.width && this.format === 'rgb565' && (RGB565[colour] & 0xff) === RGB565[colour] >> 8) {
      // Full-width rows of a colour whose two bytes match: one typed-array fill.
      this.pixels.fill(RGB565[colour] & 0xff, Math.max(0, y) * this.stride, Math.min(this.height, y + h) * this.stride);
      return;
    }
    if (x <= 0 && w >= this.width && this.format === 'mono1') {
      this.pixels.fill(MONO[colour] ? 0xff : 0, Math.max(0, y) * this.stride, Math.min(this.height, y + h) * this.stride);
      return;
    }
    const x0 = Math.max(0, x);
    const y0 = Math.max(0, y);
    const x1 = Math.min(this.width, x + w);
    const y1 = Math.min(this.height, y + h);
    if (x1 <= x0 || y1 <= y0) return;
    if (this.format === 'rgb565') {
      // Paint the first row pixel by pixel, then copy it down: this runs in QuickJS on every redraw.
      const v = RGB565[colour];
      const start = y0 * this.stride + x0 * 2;
      const end = y0 * this.stride + x1 * 2;
      for (let i = start; i < end; i += 2) {
        this.pixels[i] = v & 0xff;
        this.pixels[i + 1] = v >> 8;
      }
      for (let py = y0 + 1; py < y1; py++) this.pixels.copyWithin(py * this.stride + x0 * 2, start, end);
      return;
    }
    for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) this.set(px, py, colour);
  }

  /**
   * Draw text clipped at `maxWidth` pixels (whole glyphs only); returns the
   * width drawn. Callers fit text first (TextFont.fit) so nothing is cut
   * here unnoticed. The hot loop of every redraw under QuickJS: blank rows
   * skipped, pixels written inline.
   */
  drawText(x: number, screenY: number, text: string, font: TextFont, colour: Colour, maxWidth = this.width - x): number {
    const y = screenY - this.originY;
    const px = this.pixels;
    const stride = this.stride;
    const mono = this.format === 'mono1';
    const ink = MONO[colour];
    const lo = RGB565[colour] & 0xff;
    const hi = RGB565[colour] >> 8;
    let cx = x;
    for (const ch of visualOrder(text)) {
      const g = font.glyph(ch);
      const fw = g.advance;
      if (cx + fw > x + maxWidth || cx + fw > this.width) break;
      const topBit = g.bits - 1;
      for (let gy = 0; gy < g.rows.length; gy++) {
        const py = y + g.top + gy;
        if (py < 0 || py >= this.height) continue;
        const row = g.rows[gy];
        if (row === 0) continue;
        for (let gx = 0; gx < fw; gx++) {
          if (((row >> (topBit - gx)) & 1) === 0) continue;
          const X = cx + gx;
          if (X < 0) continue;
          if (mono) {
            const i = py * stride + (X >> 3);
            const bit = 0x80 >> (X & 7);
            px[i] = ink ? px[i] | bit : px[i] & ~bit;
          } else {
            const i = py * stride + X * 2;
            px[i] = lo;
            px[i + 1] = hi;
          }
        }
      }
      cx += fw;
    }
    return cx - x;
  }

  private set(x: number, y: number, colour: Colour): void {
    if (this.format === 'rgb565') {
      const v = RGB565[colour];
      const i = y * this.stride + x * 2;
      this.pixels[i] = v & 0xff;
      this.pixels[i + 1] = v >> 8;
    } else {
      const i = y * this.stride + (x >> 3);
      const bit = 0x80 >> (x & 7);
      this.pixels[i] = MONO[colour] ? this.pixels[i] | bit : this.pixels[i] & ~bit;
    }
  }
}
