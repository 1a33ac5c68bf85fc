/**
 * Draws a screen's text model band by band into a one-band strip and blits
 * each band to the display.
 * The frame is cut into full-width bands (status, title, each body line, soft
 * keys); only bands whose text changed are redrawn and blitted, so the
 * once-a-minute clock update costs one band, not a frame.
 * Every text is first fitted to the pixels it gets (`fit`): the display is
 * described with exactly the text drawn, cut parts ending in '…' and listed
 * in `cut`, so no cut goes unnoticed by a test.
 */
import type { Display, ScreenText } from '../../hal/contract';
import { Canvas } from './canvas';
import type { Layout } from './layout';

interface Band { key: string; top: number; draw: () => void }

/** A body line as laid out: `right` drawn at the right edge (before a scroll arrow). */
interface LaidLine { left: string; right: string; cut: boolean }

interface Laid {
  screen: ScreenText;
  lines: LaidLine[];
  /** Soft key boxes: x, width, label as drawn. */
  keys: { x: number; width: number; text: string }[];
}

const UP = '\u25b2';
const DOWN = '\u25bc';

export class ScreenRenderer {
  private readonly canvas: Canvas;
  private drawn: string[] = [];
  /** Bands blitted so far (for the benchmark and tests). */
  bandsBlitted = 0;

  constructor(private readonly display: Display, private readonly layout: Layout) {
    this.canvas = new Canvas(display.width, layout.font.height, display.format);
  }

  render(screen: ScreenText): void {
    const laid = this.lay(screen);
    const bands = this.bands(laid);
    bands.forEach((band, i) => {
      if (this.drawn[i] === band.key) return;
      this.canvas.originY = band.top;
      band.draw();
      this.blitBand(band.top);
      this.drawn[i] = band.key;
      this.bandsBlitted++;
    });
    this.drawn.length = bands.length;
    this.display.describe(laid.screen);
  }

  /** The text model as drawn: every part fitted, cuts marked. */
  fit(screen: ScreenText): ScreenText {
    return this.lay(screen).screen;
  }

  /** Forget what is on the glass (after the display was off). */
  invalidate(): void {
    this.drawn = [];
  }

  private arrowWidth(): number {
    return this.layout.font.measure(UP);
  }

  private lay(screen: ScreenText): Laid {
    const { font, width, bodyRows } = this.layout;
    const cut: string[] = [];
    const status = font.fit(screen.status ?? '', this.layout.titleRow ? width - 4 : width);
    if (status.cut) cut.push('status');
    const titleRoom = this.layout.titleRow ? width - 4 : Math.max(0, width - font.measure(status.text) - font.width);
    const title = font.fit(screen.title, titleRoom);
    if (title.cut) cut.push('title');
    const lines: LaidLine[] = screen.lines.map((raw, i) => {
      const arrow = (i === 0 && (screen.more === 'up' || screen.more === 'both'))
        || (i === Math.min(bodyRows, screen.lines.length) - 1 && (screen.more === 'down' || screen.more === 'both'));
      const room = width - (arrow ? this.arrowWidth() + 1 : 0);
      const tab = raw.indexOf('\t');
      let laid: LaidLine;
      if (tab < 0) {
        const f = font.fit(raw, room);
        laid = { left: f.text, right: '', cut: f.cut };
      } else {
        // The right part (a number) stays whole; the left part (a name) gives way.
        const right = font.fit(raw.slice(tab + 1), room);
        const left = font.fit(raw.slice(0, tab), Math.max(0, room - font.measure(right.text) - 2 * font.width));
        laid = { left: left.text, right: right.text, cut: left.cut || right.cut };
      }
      if (laid.cut) cut.push(`line ${i}`);
      return laid;
    });
    const labels = screen.softKeys;
    const slotWidth = Math.floor(width / Math.max(1, labels.length));
    const keys = labels.map((label, i) => {
      // A label too long for its slot (e.g. "Select" on the 132-pixel display) may spread over an unlabelled neighbour.
      const fits = (slots: number) => font.measure(label) <= slots * slotWidth - 2;
      const slots = label && !fits(1) && i + 1 < labels.length && !labels[i + 1] ? 2 : 1;
      const boxWidth = slots * slotWidth - 2;
      const f = font.fit(label, boxWidth);
      if (f.cut) cut.push(`key ${i}`);
      return { x: i * slotWidth, width: boxWidth, text: f.text };
    });
    const described: ScreenText = {
      ...screen,
      title: title.text,
      lines: lines.map((l) => (l.right ? (l.left ? `${l.left}  ${l.right}` : l.right) : l.left)),
      softKeys: keys.map((k) => k.text),
    };
    if (screen.status !== undefined) described.status = status.text;
    if (cut.length) described.cut = cut;
    else delete described.cut;
    return { screen: described, lines, keys };
  }

  private bands(laid: Laid): Band[] {
    const { font, width, bodyRows, bodyTop, softKeyTop } = this.layout;
    const screen = laid.screen;
    const c = this.canvas;
    const h = font.height;
    const status = screen.status ?? '';
    const statusWidth = font.measure(status);
    const bands: Band[] = [];
    if (this.layout.titleRow) {
      bands.push({ key: `s:${status}`, top: 0, draw: () => {
        c.fillRect(0, 0, width, h, 'bar');
        c.drawText(width - statusWidth - 2, 0, status, font, 'barInk');
      } });
      bands.push({ key: `t:${screen.title}`, top: h, draw: () => {
        c.fillRect(0, h, width, h, 'paper');
        c.drawText(2, h, screen.title, font, 'ink', width - 4);
        c.fillRect(0, 2 * h - 1, width, 1, 'dim');
      } });
    } else {
      bands.push({ key: `st:${screen.title}|${status}`, top: 0, draw: () => {
        c.fillRect(0, 0, width, h, 'bar');
        c.drawText(width - statusWidth, 0, status, font, 'barInk');
        c.drawText(0, 0, screen.title, font, 'barInk', Math.max(0, width - statusWidth - font.width));
      } });
    }
    const more = screen.more;
    const shown = Math.min(bodyRows, laid.lines.length);
    for (let i = 0; i < bodyRows; i++) {
      const line = laid.lines[i] ?? { left: '', right: '', cut: false };
      const arrow = i === 0 && (more === 'up' || more === 'both') ? UP
        : i === shown - 1 && (more === 'down' || more === 'both') ? DOWN : '';
      const focused = i === screen.focus;
      const y = bodyTop + i * h;
      bands.push({ key: `${focused ? 'F' : 'l'}:${line.left}\t${line.right}\t${arrow}`, top: y, draw: () => {
        const ink = focused ? 'focusInk' : 'ink';
        const arrowWidth = arrow ? font.measure(arrow) : 0;
        c.fillRect(0, y, width, h, focused ? 'focus' : 'paper');
        c.drawText(0, y, line.left, font, ink);
        if (line.right) c.drawText(width - (arrow ? arrowWidth + 1 : 0) - font.measure(line.right), y, line.right, font, ink);
        if (arrow) c.drawText(width - arrowWidth, y, arrow, font, ink);
      } });
    }
    const keys = laid.keys;
    bands.push({ key: `k:${keys.map((k) => k.text).join('|')}`, top: softKeyTop, draw: () => {
      c.fillRect(0, softKeyTop, width, h, 'paper');
      keys.forEach((k) => {
        if (!k.text) return;
        c.fillRect(k.x + 1, softKeyTop, k.width, h, 'bar');
        c.drawText(k.x + 1 + Math.floor((k.width - font.measure(k.text)) / 2), softKeyTop, k.text, font, 'barInk');
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
