/**
 * The expected pixels of text, built straight from the committed font files
 * (font/unifont-subset.hex and the Terminus data), not from the firmware's
 * glyph blob: a test that compares a framebuffer with these checks the
 * build's packing, the on-demand decoding and the drawing together.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BoardInfo } from '../../hal/contract';
import { BitmapFont } from '../../firmware/ui/font';
import { terminus6x12, terminus8x16 } from '../../firmware/ui/font-data';
import { rowStride, type VirtualDisplay } from '../../sim/devices/display';

const LINE_HEIGHT = 16;
let unifont: Map<number, string> | null = null;

function unifontHex(): Map<number, string> {
  if (!unifont) {
    unifont = new Map();
    const file = path.resolve(__dirname, '..', '..', 'font', 'unifont-subset.hex');
    for (const line of fs.readFileSync(file, 'latin1').split('\n')) {
      const [cp, bits] = line.trim().split(':');
      if (bits) unifont.set(parseInt(cp, 16), bits);
    }
  }
  return unifont;
}

/** Ink mask (rows of '0'/'1') of `text` in a 16-pixel line of the board's font, as drawn (right-to-left words reversed). */
export function expectedMask(text: string, geometry: BoardInfo['display'], lineHeight = LINE_HEIGHT): string[] {
  const console = new BitmapFont(geometry.width >= 240 ? terminus8x16 : terminus6x12);
  const top = Math.floor((lineHeight - console.height) / 2);
  const rows = Array.from({ length: lineHeight }, () => '');
  // Right-to-left words (Hebrew, Arabic) are drawn right to left: reverse each run of such letters and the spaces between them.
  const drawn = text.replace(/[\u0590-\u08ff]+(?:[ ]+[\u0590-\u08ff]+)*/g, (run) => [...run].reverse().join(''));
  for (const ch of drawn) {
    if (console.has(ch)) {
      for (let y = 0; y < lineHeight; y++) {
        let r = '';
        for (let x = 0; x < console.width; x++) r += y >= top && y < top + console.height && console.pixel(ch, x, y - top) ? '1' : '0';
        rows[y] += r;
      }
      continue;
    }
    const hex = unifontHex().get(ch.codePointAt(0)!);
    if (!hex) throw new Error(`no glyph for U+${ch.codePointAt(0)!.toString(16)} in the font subset`);
    if (lineHeight !== LINE_HEIGHT) throw new Error(`U+${ch.codePointAt(0)!.toString(16)} in a ${lineHeight}-pixel line`);
    const digits = hex.length / 16;
    for (let y = 0; y < LINE_HEIGHT; y++) {
      rows[y] += parseInt(hex.slice(y * digits, (y + 1) * digits), 16).toString(2).padStart(digits * 4, '0');
    }
  }
  return rows;
}

function pixelValue(d: VirtualDisplay, x: number, y: number): number {
  const stride = rowStride(d.format, d.width);
  if (d.format === 'rgb565') return d.framebuffer[y * stride + x * 2] | (d.framebuffer[y * stride + x * 2 + 1] << 8);
  return (d.framebuffer[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
}

/** Ink mask of the display's pixels x 0…width-1 of the band at `top` (ink = not the band's background). */
export function drawnMask(display: VirtualDisplay, top: number, width: number, lineHeight = LINE_HEIGHT): string[] {
  const counts = new Map<number, number>();
  for (let y = top; y < top + lineHeight; y++) for (let x = 0; x < display.width; x++) {
    const v = pixelValue(display, x, y);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const background = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const rows: string[] = [];
  for (let y = top; y < top + lineHeight; y++) {
    let r = '';
    for (let x = 0; x < width; x++) r += pixelValue(display, x, y) === background ? '0' : '1';
    rows.push(r);
  }
  return rows;
}
