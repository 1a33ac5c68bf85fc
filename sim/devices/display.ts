/**
 * Virtual framebuffer display in the board's pixel format, plus the text
 * model of the last screen the firmware described. It holds the firmware's
 * frames while nobody watches it (`HeldFrames`): every read of the panel —
 * text, pixels, blit count, PNG — first lets a frame that is due be drawn.
 */
import { PNG } from 'pngjs';
import type { PixelFormat, ScreenText } from '../../hal/contract';
import type { HeldFrames, PanelDevice } from '../host/frame-scheduler';

export function rowStride(format: PixelFormat, width: number): number {
  return format === 'mono1' ? Math.ceil(width / 8) : width * 2;
}

const BLANK: ScreenText = { id: 'off', title: '', lines: [], softKeys: [], focus: -1 };

export class VirtualDisplay implements PanelDevice, HeldFrames {
  backlight = 0;
  private readonly pixels: Uint8Array;
  private blitCount = 0;
  private screen: ScreenText = BLANK;
  private listeners = new Set<(s: ScreenText) => void>();
  private look: (() => void) | null = null;

  constructor(readonly width: number, readonly height: number, readonly format: PixelFormat) {
    this.pixels = new Uint8Array(rowStride(format, width) * height);
  }

  get watched(): boolean {
    return this.listeners.size > 0;
  }

  setLookHook(look: (() => void) | null): void {
    this.look = look;
  }

  /** The pixels as a frame drawn now would leave them. */
  get framebuffer(): Uint8Array {
    this.look?.();
    return this.pixels;
  }

  /** Blits so far, a frame due now included. */
  get blits(): number {
    this.look?.();
    return this.blitCount;
  }

  blit(x: number, y: number, w: number, h: number, pixels: Uint8Array): void {
    if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > this.width || y + h > this.height) {
      throw new RangeError(`blit ${w}x${h} at ${x},${y} outside the ${this.width}x${this.height} display`);
    }
    const srcStride = rowStride(this.format, w);
    if (pixels.length < srcStride * h) throw new RangeError(`blit needs ${srcStride * h} bytes, got ${pixels.length}`);
    const dstStride = rowStride(this.format, this.width);
    if (this.format === 'rgb565') {
      for (let row = 0; row < h; row++) {
        this.pixels.set(pixels.subarray(row * srcStride, row * srcStride + w * 2), (y + row) * dstStride + x * 2);
      }
    } else {
      for (let row = 0; row < h; row++) {
        for (let col = 0; col < w; col++) {
          const on = (pixels[row * srcStride + (col >> 3)] >> (7 - (col & 7))) & 1;
          const di = (y + row) * dstStride + ((x + col) >> 3);
          const bit = 0x80 >> ((x + col) & 7);
          this.pixels[di] = on ? this.pixels[di] | bit : this.pixels[di] & ~bit;
        }
      }
    }
    this.blitCount++;
  }

  setBacklight(level: number): void {
    this.backlight = Math.max(0, Math.min(100, level));
  }

  describe(screen: ScreenText): void {
    this.screen = { ...screen, lines: [...screen.lines], softKeys: [...screen.softKeys] };
    for (const l of this.listeners) l(this.screen);
  }

  text(): ScreenText {
    this.look?.();
    return this.screen;
  }

  /** Clear to dark and forget the text model and any held frame (power off). */
  off(): void {
    this.look = null;
    this.pixels.fill(0);
    this.backlight = 0;
    this.describe(BLANK);
  }

  /** Watching the panel: frames come at their time while any listener is subscribed. */
  onScreen(listener: (s: ScreenText) => void): () => void {
    this.listeners.add(listener);
    this.look?.();
    return () => this.listeners.delete(listener);
  }

  /** PNG of the framebuffer, scaled up by `scale` (mono pixels: ink dark on a pale LCD green). */
  toPng(scale = this.format === 'mono1' ? 3 : 2): Buffer {
    const png = new PNG({ width: this.width * scale, height: this.height * scale });
    const pixels = this.framebuffer;
    const stride = rowStride(this.format, this.width);
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        let r: number, g: number, b: number;
        if (this.format === 'rgb565') {
          const v = pixels[y * stride + x * 2] | (pixels[y * stride + x * 2 + 1] << 8);
          r = ((v >> 11) & 0x1f) * 255 / 31;
          g = ((v >> 5) & 0x3f) * 255 / 63;
          b = (v & 0x1f) * 255 / 31;
        } else {
          const on = (pixels[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
          [r, g, b] = on ? [20, 30, 20] : [170, 190, 150];
        }
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const i = ((y * scale + dy) * png.width + (x * scale + dx)) * 4;
            png.data[i] = r; png.data[i + 1] = g; png.data[i + 2] = b; png.data[i + 3] = 255;
          }
        }
      }
    }
    return PNG.sync.write(png);
  }
}
