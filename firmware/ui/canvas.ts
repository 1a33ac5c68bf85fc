/**
 * An off-screen frame in the display's pixel format, drawn with logical
 * colours, then blitted to the display in one go.
 */
import type { PixelFormat } from '../../hal/contract';
import type { BitmapFont } from './font';

export type Colour = 'paper' | 'ink' | 'bar' | 'barInk' | 'focus' | 'focusInk' | 'dim';

/** RGB565 values of the colour theme; mono maps each colour to on/off. */
const RGB565: Record<Colour, number> = {
  paper: 0xffff, ink: 0x0000, bar: 0x1a6b, barInk: 0xffff, focus: 0x3d9f, focusInk: 0x0000, dim: 0x8410,
};
const MONO: Record<Colour, 0 | 1> = { paper: 0, ink: 1, bar: 1, barInk: 0, focus: 1, focusInk: 0, dim: 1 };

export class Canvas {
  readonly pixels: Uint8Array;
  readonly stride: number;

  constructor(readonly width: number, readonly height: number, readonly format: PixelFormat) {
    this.stride = format === 'mono1' ? Math.ceil(width / 8) : width * 2;
    this.pixels = new Uint8Array(this.stride * height);
  }

  fillRect(x: number, y: number, w: number, h: number, colour: Colour): void {
    if (x <= 0 && w >= this.width && this.format === 'rgb565' && (RGB565[colour] & 0xff) === RGB565[colour] >> 8) {
      // Full-width rows of a colour whose two bytes match: one typed-array fill.
      this.pixels.fill(RGB565[colour] & 0xff, Math.max(0, y) * this.stride, Math.min(this.height, y + h) * this.stride);
      return;
    }
    if (x <= 0 && w >= this.width && this.format === 'mono1') {
      this.pixels.fill(MONO[colour] ? 0xff : 0, Math.max(0, y) * this.stride, Math.min(this.height, y + h) * this.stride);
      return;
    }
    const x1 = Math.min(this.width, x + w);
    const y1 = Math.min(this.height, y + h);
    for (let py = Math.max(0, y); py < y1; py++) for (let px = Math.max(0, x); px < x1; px++) this.set(px, py, colour);
  }

  /** Draw text clipped at `maxWidth` pixels; returns the width drawn. */
  drawText(x: number, y: number, text: string, font: BitmapFont, colour: Colour, maxWidth = this.width - x): number {
    let cx = x;
    for (const ch of text) {
      if (cx + font.width > x + maxWidth || cx + font.width > this.width) break;
      for (let gy = 0; gy < font.height; gy++) {
        for (let gx = 0; gx < font.width; gx++) if (font.pixel(ch, gx, gy)) this.set(cx + gx, y + gy, colour);
      }
      cx += font.width;
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
