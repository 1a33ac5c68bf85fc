/**
 * Virtual framebuffer display in the board's pixel format, plus the text
 * model of the last screen the firmware described. It holds the firmware's
 * frames while nobody watches it (`HeldFrames`): every read of the panel —
 * text, pixels, blit count, PNG — first lets a frame that is due be drawn.
 *
 * An unwatched panel whose pixels nobody drew or read for a while keeps them
 * deflated (`rest`), as a product keeps an idle screen's buffer compressed: an
 * idle phone in a fleet of hundreds holds ~1 KiB of pixels instead of 150 KiB.
 * The next blit or read inflates them (~0.1 ms); a powered-off panel holds none.
 */
import { PNG } from 'pngjs';
import { deflateRawSync, inflateRawSync } from 'zlib';
import type { PixelFormat, ScreenText } from '../../hal/contract';
import type { HeldFrames, PanelDevice } from '../host/frame-scheduler';

export function rowStride(format: PixelFormat, width: number): number {
  return format === 'mono1' ? Math.ceil(width / 8) : width * 2;
}

const BLANK: ScreenText = { id: 'off', title: '', lines: [], softKeys: [], focus: -1 };

/** Unwatched pixels not drawn or read for this long (up to twice as long) are deflated. */
export const REST_AFTER_MS = 500;

export class VirtualDisplay implements PanelDevice, HeldFrames {
  backlight = 0;
  /** The pixels when drawn or read lately; null when packed or dark. */
  private live: Uint8Array | null = null;
  /** The deflated pixels of a panel at rest; null when live or dark (neither: all pixels 0). */
  private packed: Uint8Array | null = null;
  private readonly bytes: number;
  private restTimer: ReturnType<typeof setTimeout> | null = null;
  /** Drawn or read since the rest timer last looked. */
  private used = false;
  private blitCount = 0;
  private screen: ScreenText = BLANK;
  private listeners = new Set<(s: ScreenText) => void>();
  private look: (() => void) | null = null;

  constructor(readonly width: number, readonly height: number, readonly format: PixelFormat, private readonly restAfterMs = REST_AFTER_MS) {
    this.bytes = rowStride(format, width) * height;
  }

  get watched(): boolean {
    return this.listeners.size > 0;
  }

  setLookHook(look: (() => void) | null): void {
    this.look = look;
  }

  /**
   * The pixels as a frame drawn now would leave them. Read it again rather
   * than keeping it: a panel at rest lets this array go.
   */
  get framebuffer(): Uint8Array {
    this.look?.();
    return this.pixels();
  }

  /** Host bytes the pixels take now: the whole framebuffer when live, the deflated bytes at rest, 0 when dark. */
  residentBytes(): number {
    return this.live?.length ?? this.packed?.length ?? 0;
  }

  /** Deflate the pixels now (the rest timer does this for an unwatched panel left alone). */
  rest(): void {
    this.stopRestTimer();
    if (!this.live) return;
    // A copy: the deflate output is a slice of a 16 KiB chunk, which would stay alive with it.
    this.packed = new Uint8Array(deflateRawSync(this.live));
    this.live = null;
  }

  private pixels(): Uint8Array {
    if (!this.live) {
      const live = new Uint8Array(this.bytes);
      if (this.packed) live.set(inflateRawSync(this.packed));
      this.live = live;
      this.packed = null;
    }
    this.used = true;
    if (this.restTimer === null && !this.watched) this.startRestTimer();
    return this.live;
  }

  private startRestTimer(): void {
    this.restTimer = setTimeout(() => {
      this.restTimer = null;
      if (this.watched) return;
      if (this.used) {
        this.used = false;
        this.startRestTimer();
      } else {
        this.rest();
      }
    }, this.restAfterMs);
    // A resting panel never keeps the process alive.
    this.restTimer.unref?.();
  }

  private stopRestTimer(): void {
    if (this.restTimer !== null) clearTimeout(this.restTimer);
    this.restTimer = null;
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
    const dst = this.pixels();
    if (this.format === 'rgb565') {
      for (let row = 0; row < h; row++) {
        dst.set(pixels.subarray(row * srcStride, row * srcStride + w * 2), (y + row) * dstStride + x * 2);
      }
    } else {
      for (let row = 0; row < h; row++) {
        for (let col = 0; col < w; col++) {
          const on = (pixels[row * srcStride + (col >> 3)] >> (7 - (col & 7))) & 1;
          const di = (y + row) * dstStride + ((x + col) >> 3);
          const bit = 0x80 >> ((x + col) & 7);
          dst[di] = on ? dst[di] | bit : dst[di] & ~bit;
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
    this.stopRestTimer();
    this.live = null;
    this.packed = null;
    this.backlight = 0;
    this.describe(BLANK);
  }

  /** Watching the panel: frames come at their time while any listener is subscribed. */
  onScreen(listener: (s: ScreenText) => void): () => void {
    this.listeners.add(listener);
    this.look?.();
    return () => {
      this.listeners.delete(listener);
      // Left unwatched: the pixels may rest again.
      if (this.live && !this.watched && this.restTimer === null) this.startRestTimer();
    };
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
