/**
 * Reads the body lines back out of a phone's framebuffer by matching each
 * character cell against the firmware's bitmap font, so tests can check that
 * the text model (display.describe) matches what was actually drawn.
 */
import type { BoardInfo, ScreenText } from '../../hal/contract';
import { layoutFor, layoutForScreen } from '../../firmware/ui/layout';
import { rowStride, type VirtualDisplay } from '../../sim/devices/display';
import { terminus6x12, terminus8x16 } from '../../firmware/ui/font-data';

function pixelValue(d: VirtualDisplay, x: number, y: number): number {
  const stride = rowStride(d.format, d.width);
  if (d.format === 'rgb565') return d.framebuffer[y * stride + x * 2] | (d.framebuffer[y * stride + x * 2 + 1] << 8);
  return (d.framebuffer[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
}

/** The visible body lines, trailing blanks trimmed; '\u0000' for a cell that matches no glyph. */
export function readBodyLines(display: VirtualDisplay, geometry: BoardInfo['display'], screen?: ScreenText): string[] {
  // The layout the screen was drawn with (desk-99: compact 12-pixel lines for ASCII text).
  const layout = screen ? layoutForScreen(geometry, screen) : layoutFor(geometry);
  const { font } = layout;
  const data = font.width === 8 ? terminus8x16 : terminus6x12;
  const glyphs = [...data.chars].map((ch) => {
    let mask = '';
    for (let y = 0; y < font.height; y++) for (let x = 0; x < font.width; x++) mask += font.pixel(ch, x, y) ? '1' : '0';
    return { ch, mask };
  });
  const lines: string[] = [];
  for (let row = 0; row < layout.bodyRows; row++) {
    const top = layout.bodyTop + row * font.height;
    // Background: the most common value in the band (paper, or the focus colour).
    const counts = new Map<number, number>();
    for (let y = top; y < top + font.height; y++) for (let x = 0; x < display.width; x++) {
      const v = pixelValue(display, x, y);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const background = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    let line = '';
    for (let col = 0; col < layout.columns; col++) {
      let mask = '';
      for (let y = 0; y < font.height; y++) for (let x = 0; x < font.width; x++) {
        mask += pixelValue(display, col * font.width + x, top + y) !== background ? '1' : '0';
      }
      // The last cell may hold the scroll indicator (a drawn triangle, not a glyph): read as blank.
      line += glyphs.find((g) => g.mask === mask)?.ch ?? (col === layout.columns - 1 ? ' ' : '\u0000');
    }
    lines.push(line.replace(/ +$/, ''));
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
