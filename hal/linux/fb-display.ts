/**
 * The board's display on a Linux framebuffer (/dev/fbN, fbdev).
 *
 * The firmware draws in the board profile's format (mono1 or rgb565, see
 * hal/contract.ts); the panel's framebuffer has its own depth. Geometry, bits
 * per pixel and stride come from sysfs (/sys/class/graphics/fbN), and each
 * blit is converted row by row into the device's format and written at its
 * offset (pwrite), with the firmware's picture at the top-left corner:
 *
 * - 16 bpp: RGB565 little-endian (the firmware's rgb565 bytes as they are);
 * - 32 bpp: XRGB8888 (bytes B, G, R, 0xFF; 5/6-bit channels widened by
 *   repeating their top bits, so the conversion back is exact).
 *
 * mono1 ink is black and paper white. Any other depth (8 bpp palettes, 24
 * bpp) is refused with a message: the picture would be wrong, not just slow.
 *
 * The text model of the screen (`ScreenText`) is kept as the simulator's
 * display keeps it: the board runner prints it and tests read it.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Display, PixelFormat, ScreenText } from '../contract';
import { BoardDeviceError } from './board-device-error';

/** Bytes per row of a firmware picture `width` pixels wide (as sim/devices/display.ts). */
export function firmwareRowStride(format: PixelFormat, width: number): number {
  return format === 'mono1' ? Math.ceil(width / 8) : width * 2;
}

export interface FbGeometry {
  /** Virtual resolution in pixels (`virtual_size`). */
  width: number;
  height: number;
  bitsPerPixel: number;
  /** Bytes per row (`stride`). */
  stride: number;
}

/** Device depths the phone converts to. */
export const SUPPORTED_BITS_PER_PIXEL = [16, 32] as const;

/** Reads `virtual_size`, `bits_per_pixel` and `stride` of one framebuffer's sysfs directory. */
export function readFbGeometry(sysfsDir: string, device = sysfsDir): FbGeometry {
  const attr = (name: string): string | null => {
    try {
      return fs.readFileSync(path.join(sysfsDir, name), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const size = attr('virtual_size');
  const bpp = attr('bits_per_pixel');
  if (size === null || bpp === null) {
    throw new BoardDeviceError(device, `no framebuffer attributes in ${sysfsDir} (virtual_size, bits_per_pixel): the kernel needs CONFIG_FB and the panel's fbdev driver`);
  }
  const m = /^(\d+),(\d+)$/.exec(size);
  if (!m || !/^\d+$/.test(bpp)) throw new BoardDeviceError(device, `unreadable framebuffer geometry in ${sysfsDir}: virtual_size "${size}", bits_per_pixel "${bpp}"`);
  const width = Number(m[1]);
  const height = Number(m[2]);
  const bitsPerPixel = Number(bpp);
  const strideText = attr('stride');
  const stride = strideText !== null && /^\d+$/.test(strideText) ? Number(strideText) : Math.ceil((width * bitsPerPixel) / 8);
  return { width, height, bitsPerPixel, stride };
}

/** Converts `w`×`h` firmware pixels into device rows of `w` pixels at `bitsPerPixel` (16 or 32), packed without padding. */
export function toDevicePixels(format: PixelFormat, pixels: Uint8Array, w: number, h: number, bitsPerPixel: number): Uint8Array {
  const bytesPerPixel = bitsPerPixel / 8;
  const out = new Uint8Array(w * h * bytesPerPixel);
  const srcStride = firmwareRowStride(format, w);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const rgb565 = format === 'rgb565'
        ? pixels[row * srcStride + col * 2] | (pixels[row * srcStride + col * 2 + 1] << 8)
        : (pixels[row * srcStride + (col >> 3)] >> (7 - (col & 7))) & 1 ? 0x0000 : 0xffff;
      const at = (row * w + col) * bytesPerPixel;
      if (bytesPerPixel === 2) {
        out[at] = rgb565 & 0xff;
        out[at + 1] = rgb565 >> 8;
      } else {
        const r = (rgb565 >> 11) & 0x1f;
        const g = (rgb565 >> 5) & 0x3f;
        const b = rgb565 & 0x1f;
        out[at] = (b << 3) | (b >> 2);
        out[at + 1] = (g << 2) | (g >> 4);
        out[at + 2] = (r << 3) | (r >> 2);
        out[at + 3] = 0xff;
      }
    }
  }
  return out;
}

/**
 * The firmware picture (`width`×`height` in `format`) read back from a
 * device framebuffer's bytes: the inverse of the blit conversion, so a test
 * compares a real /dev/fb0 with the simulator's framebuffer byte for byte.
 */
export function firmwarePixelsFromDevice(device: Uint8Array, geometry: FbGeometry, format: PixelFormat, width: number, height: number): Uint8Array {
  const dstStride = firmwareRowStride(format, width);
  const out = new Uint8Array(dstStride * height);
  const bytesPerPixel = geometry.bitsPerPixel / 8;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * geometry.stride + x * bytesPerPixel;
      let rgb565: number;
      if (bytesPerPixel === 2) {
        rgb565 = device[at] | (device[at + 1] << 8);
      } else {
        rgb565 = ((device[at + 2] >> 3) << 11) | ((device[at + 1] >> 2) << 5) | (device[at] >> 3);
      }
      if (format === 'rgb565') {
        out[y * dstStride + x * 2] = rgb565 & 0xff;
        out[y * dstStride + x * 2 + 1] = rgb565 >> 8;
      } else if (rgb565 !== 0xffff) {
        // Ink is anything but paper: the blit writes only black and white.
        out[y * dstStride + (x >> 3)] |= 0x80 >> (x & 7);
      }
    }
  }
  return out;
}

export interface FbDisplayOptions {
  /** The framebuffer device, e.g. /dev/fb0. */
  device: string;
  /** Its sysfs directory; default /sys/class/graphics/<basename of device>. */
  sysfsDir?: string;
  /** The firmware's picture: the board profile's display. */
  width: number;
  height: number;
  format: PixelFormat;
  /** A /sys/class/backlight/<name> directory; absent: setBacklight is a no-op (noted once in the log). */
  backlightDir?: string;
  log?: (line: string) => void;
}

const BLANK: ScreenText = { id: 'off', title: '', lines: [], softKeys: [], focus: -1 };

/** The panel; frames are scheduled on it by the host (sim/host/frame-scheduler.ts): a framebuffer is always seen. */
export class FbDisplay implements Omit<Display, 'requestFrame'> {
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  readonly geometry: FbGeometry;
  blits = 0;
  private fd: number | null;
  private screen: ScreenText = BLANK;
  private readonly listeners = new Set<(s: ScreenText) => void>();
  private noBacklightNoted = false;

  private constructor(private readonly o: FbDisplayOptions, geometry: FbGeometry, fd: number) {
    this.width = o.width;
    this.height = o.height;
    this.format = o.format;
    this.geometry = geometry;
    this.fd = fd;
  }

  /** Reads the framebuffer's geometry and opens it; throws BoardDeviceError when missing, too small or of another pixel format. */
  static open(o: FbDisplayOptions): FbDisplay {
    const sysfsDir = o.sysfsDir ?? path.join('/sys/class/graphics', path.basename(o.device));
    const geometry = readFbGeometry(sysfsDir, o.device);
    if (!(SUPPORTED_BITS_PER_PIXEL as readonly number[]).includes(geometry.bitsPerPixel)) {
      throw new BoardDeviceError(o.device, `${geometry.bitsPerPixel} bits per pixel is not a pixel format the phone draws in (it converts to 16 bpp RGB565 or 32 bpp XRGB8888): set the panel's mode to one of them`);
    }
    if (geometry.width < o.width || geometry.height < o.height) {
      throw new BoardDeviceError(o.device, `framebuffer is ${geometry.width}x${geometry.height}, smaller than the board's ${o.width}x${o.height} display`);
    }
    if (geometry.stride < (geometry.width * geometry.bitsPerPixel) / 8) {
      throw new BoardDeviceError(o.device, `stride ${geometry.stride} is shorter than a row of ${geometry.width} pixels at ${geometry.bitsPerPixel} bpp`);
    }
    let fd: number;
    try {
      fd = fs.openSync(o.device, fs.constants.O_RDWR);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new BoardDeviceError(o.device, code === 'ENOENT' ? 'missing: no framebuffer device node (CONFIG_FB, the panel driver, udev or mdev)'
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied: the phone needs write access to its framebuffer (group video)'
        : `cannot be opened (${code ?? String(e)})`);
    }
    return new FbDisplay(o, geometry, fd);
  }

  blit(x: number, y: number, w: number, h: number, pixels: Uint8Array): void {
    if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > this.width || y + h > this.height) {
      throw new RangeError(`blit ${w}x${h} at ${x},${y} outside the ${this.width}x${this.height} display`);
    }
    const need = firmwareRowStride(this.format, w) * h;
    if (pixels.length < need) throw new RangeError(`blit needs ${need} bytes, got ${pixels.length}`);
    if (this.fd === null) throw new BoardDeviceError(this.o.device, 'used after close');
    const converted = toDevicePixels(this.format, pixels, w, h, this.geometry.bitsPerPixel);
    const rowBytes = (w * this.geometry.bitsPerPixel) / 8;
    const xBytes = (x * this.geometry.bitsPerPixel) / 8;
    for (let row = 0; row < h; row++) {
      const position = (y + row) * this.geometry.stride + xBytes;
      try {
        fs.writeSync(this.fd, converted, row * rowBytes, rowBytes, position);
      } catch (e) {
        throw new BoardDeviceError(this.o.device, `write of row ${y + row} failed: ${(e as Error).message}`);
      }
    }
    this.blits++;
  }

  /** Sets /sys/class/backlight/<name>/brightness in proportion to max_brightness; a board without one: no-op, noted once. */
  setBacklight(level: number): void {
    const clamped = Math.max(0, Math.min(100, level));
    if (!this.o.backlightDir) {
      if (!this.noBacklightNoted) this.o.log?.('display: no backlight configured (board file display.backlight): brightness changes are ignored');
      this.noBacklightNoted = true;
      return;
    }
    try {
      const max = Number(fs.readFileSync(path.join(this.o.backlightDir, 'max_brightness'), 'utf8').trim());
      fs.writeFileSync(path.join(this.o.backlightDir, 'brightness'), `${Math.round((clamped / 100) * max)}\n`);
    } catch (e) {
      // A backlight is not worth a crash: the screen still works.
      this.o.log?.(`display: backlight ${this.o.backlightDir} not set: ${(e as Error).message}`);
    }
  }

  describe(screen: ScreenText): void {
    this.screen = { ...screen, lines: [...screen.lines], softKeys: [...screen.softKeys] };
    for (const l of this.listeners) l(this.screen);
  }

  text(): ScreenText {
    return this.screen;
  }

  onScreen(listener: (s: ScreenText) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
