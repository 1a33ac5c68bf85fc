/**
 * Draws a screen's text model band by band into a one-band strip and blits
 * each band to the display.
 * The frame is cut into full-width bands (status, title, each body line, soft
 * keys); only bands whose text changed are redrawn and blitted, so the
 * once-a-minute clock update costs one band, not a frame.
 */
import type { Display, ScreenText } from '../../hal/contract';
import { Canvas } from './canvas';
import type { Layout } from './layout';

interface Band { key: string; top: number; draw: () => void }

export class ScreenRenderer {
  private readonly canvas: Canvas;
  private drawn: string[] = [];
  /** Bands blitted so far (for the benchmark and tests). */
  bandsBlitted = 0;

  constructor(private readonly display: Display, private readonly layout: Layout) {
    this.canvas = new Canvas(display.width, layout.font.height, display.format);
  }

  render(screen: ScreenText): void {
    const bands = this.bands(screen);
    bands.forEach((band, i) => {
      if (this.drawn[i] === band.key) return;
      this.canvas.originY = band.top;
      band.draw();
      this.blitBand(band.top);
      this.drawn[i] = band.key;
      this.bandsBlitted++;
    });
    this.drawn.length = bands.length;
    this.display.describe(screen);
  }

  /** Forget what is on the glass (after the display was off). */
  invalidate(): void {
    this.drawn = [];
  }

  private bands(screen: ScreenText): Band[] {
    const { font, width, columns, bodyRows, bodyTop, softKeyTop } = this.layout;
    const c = this.canvas;
    const h = font.height;
    const status = screen.status ?? '';
    const bands: Band[] = [];
    if (this.layout.titleRow) {
      bands.push({ key: `s:${status}`, top: 0, draw: () => {
        c.fillRect(0, 0, width, h, 'bar');
        c.drawText(width - status.length * font.width - 2, 0, status, font, 'barInk');
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
      bands.push({ key: `${focused ? 'F' : 'l'}:${line}`, top: y, draw: () => {
        c.fillRect(0, y, width, h, focused ? 'focus' : 'paper');
        c.drawText(0, y, line, font, focused ? 'focusInk' : 'ink');
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

  private blitBand(top: number): void {
    const c = this.canvas;
    const rows = Math.min(c.height, this.display.height - top);
    this.display.blit(0, top, c.width, rows, c.pixels.subarray(0, rows * c.stride));
  }
}
