/**
 * Draws a screen's text model band by band into a one-band strip and blits
 * each band to the display.
 * The frame is cut into full-width bands (status, title, each body line, soft
 * keys); only bands whose text changed are redrawn and blitted, so the
 * once-a-minute clock update costs one band, not a frame. A band that is one
 * line of text on a plain background (body lines, the status bar) redraws
 * only the characters that changed: a call timer going from 1:09 to 1:10
 * redraws and blits two character cells, not 320 pixels of line. Drawing
 * pixels is most of the cost of a redraw under QuickJS. A screen whose text
 * did not change is neither drawn nor described again.
 */
import type { Display, ScreenText } from '../../hal/contract';
import { Canvas, type Colour } from './canvas';
import type { Layout } from './layout';

/** A band that is only `text` drawn at `x` on `paper`: it can be updated character by character. */
interface TextRun { x: number; chars: string[]; paper: Colour; ink: Colour }

interface Band { key: string; top: number; draw: () => void; run?: TextRun }

/** Blits snap to whole bytes of a mono1 row (8 pixels); the same for rgb565 keeps one rule. */
const BLIT_ALIGN = 8;

export class ScreenRenderer {
  private readonly canvas: Canvas;
  private drawn: string[] = [];
  /** The text run of each band as drawn (undefined: the band is not a plain text run). */
  private drawnRuns: (TextRun | undefined)[] = [];
  /** The text model last described; a render of the same text does nothing. */
  private described: string | null = null;
  /** Bands blitted so far (for the benchmark and tests). */
  bandsBlitted = 0;

  constructor(private readonly display: Display, private readonly layout: Layout) {
    this.canvas = new Canvas(display.width, layout.font.height, display.format);
  }

  render(screen: ScreenText): void {
    const text = JSON.stringify(screen);
    if (text === this.described) return;
    const bands = this.bands(screen);
    bands.forEach((band, i) => {
      if (this.drawn[i] === band.key) return;
      this.canvas.originY = band.top;
      const before = this.drawnRuns[i];
      if (before && band.run && sameStyle(before, band.run)) this.updateRun(band.top, before, band.run);
      else {
        band.draw();
        this.blit(band.top, 0, this.canvas.width);
      }
      this.drawn[i] = band.key;
      this.drawnRuns[i] = band.run;
      this.bandsBlitted++;
    });
    this.drawn.length = bands.length;
    this.drawnRuns.length = bands.length;
    this.display.describe(screen);
    this.described = text;
  }

  /** Forget what is on the glass (after the display was off). */
  invalidate(): void {
    this.drawn = [];
    this.drawnRuns = [];
    this.described = null;
  }

  /** Redraw and blit only the span of character cells where `before` and `after` differ (widened to whole blit units). */
  private updateRun(top: number, before: TextRun, after: TextRun): void {
    const fw = this.layout.font.width;
    const cells = Math.max(before.chars.length, after.chars.length);
    let first = -1;
    let last = -1;
    for (let i = 0; i < cells; i++) {
      if (before.chars[i] === after.chars[i]) continue;
      if (first < 0) first = i;
      last = i;
    }
    if (first < 0) return;
    const width = this.canvas.width;
    const x0 = Math.max(0, Math.floor((after.x + first * fw) / BLIT_ALIGN) * BLIT_ALIGN);
    const x1 = Math.min(width, Math.ceil((after.x + (last + 1) * fw) / BLIT_ALIGN) * BLIT_ALIGN);
    if (x1 <= x0) return;
    // Every cell the widened span touches is redrawn: the strip outside it holds other bands' pixels.
    const from = Math.max(0, Math.floor((x0 - after.x) / fw));
    const to = Math.min(after.chars.length, Math.ceil((x1 - after.x) / fw));
    const c = this.canvas;
    c.fillRect(x0, top, x1 - x0, this.layout.font.height, after.paper);
    if (to > from) c.drawText(after.x + from * fw, top, after.chars.slice(from, to).join(''), this.layout.font, after.ink, width - (after.x + from * fw));
    this.blit(top, x0, x1 - x0);
  }

  private bands(screen: ScreenText): Band[] {
    const { font, width, columns, bodyRows, bodyTop, softKeyTop } = this.layout;
    const c = this.canvas;
    const h = font.height;
    const status = screen.status ?? '';
    const bands: Band[] = [];
    if (this.layout.titleRow) {
      const statusX = width - status.length * font.width - 2;
      bands.push({ key: `s:${status}`, top: 0, run: { x: statusX, chars: Array.from(status), paper: 'bar', ink: 'barInk' }, draw: () => {
        c.fillRect(0, 0, width, h, 'bar');
        c.drawText(statusX, 0, status, font, 'barInk');
      } });
      bands.push({ key: `t:${screen.title}`, top: h, draw: () => {
        c.fillRect(0, h, width, h, 'paper');
        c.drawText(2, h, screen.title, font, 'ink', width - 4);
        c.fillRect(0, 2 * h - 1, width, 1, 'dim');
      } });
    } else {
      bands.push({ key: `st:${screen.title}|${status}`, top: 0, draw: () => {
        c.fillRect(0, 0, width, h, 'bar');
        const statusWidth = status.length * font.width;
        c.drawText(width - statusWidth, 0, status, font, 'barInk');
        c.drawText(0, 0, screen.title, font, 'barInk', Math.max(0, width - statusWidth - font.width));
      } });
    }
    for (let i = 0; i < bodyRows; i++) {
      const line = (screen.lines[i] ?? '').slice(0, columns);
      const focused = i === screen.focus;
      const y = bodyTop + i * h;
      const paper: Colour = focused ? 'focus' : 'paper';
      const ink: Colour = focused ? 'focusInk' : 'ink';
      bands.push({ key: `${focused ? 'F' : 'l'}:${line}`, top: y, run: { x: 0, chars: Array.from(line), paper, ink }, draw: () => {
        c.fillRect(0, y, width, h, paper);
        c.drawText(0, y, line, font, ink);
      } });
    }
    const labels = screen.softKeys;
    bands.push({ key: `k:${labels.join('|')}`, top: softKeyTop, draw: () => {
      c.fillRect(0, softKeyTop, width, h, 'paper');
      const slotWidth = Math.floor(width / Math.max(1, labels.length));
      labels.forEach((label, i) => {
        if (!label) return;
        // A label too long for its slot (e.g. "Select" on the 132-pixel display) may spread over an unlabelled neighbour.
        const fits = (slots: number) => label.length * font.width <= slots * slotWidth - 2;
        const slots = !fits(1) && i + 1 < labels.length && !labels[i + 1] ? 2 : 1;
        const x = i * slotWidth;
        const boxWidth = slots * slotWidth - 2;
        const text = label.slice(0, Math.floor(boxWidth / font.width));
        c.fillRect(x + 1, softKeyTop, boxWidth, h, 'bar');
        c.drawText(x + 1 + Math.floor((boxWidth - text.length * font.width) / 2), softKeyTop, text, font, 'barInk');
      });
    } });
    return bands;
  }

  /** Blit columns x … x+w-1 of the strip (x a multiple of BLIT_ALIGN) to the display at row `top`. */
  private blit(top: number, x: number, w: number): void {
    const c = this.canvas;
    const rows = Math.min(c.height, this.display.height - top);
    if (x === 0 && w === c.width) {
      this.display.blit(0, top, c.width, rows, c.pixels.subarray(0, rows * c.stride));
      return;
    }
    const mono = c.format === 'mono1';
    const start = mono ? x >> 3 : x * 2;
    const bytes = mono ? Math.ceil(w / 8) : w * 2;
    const out = new Uint8Array(bytes * rows);
    for (let r = 0; r < rows; r++) out.set(c.pixels.subarray(r * c.stride + start, r * c.stride + start + bytes), r * bytes);
    this.display.blit(x, top, w, rows, out);
  }
}

function sameStyle(a: TextRun, b: TextRun): boolean {
  return a.x === b.x && a.paper === b.paper && a.ink === b.ink;
}
