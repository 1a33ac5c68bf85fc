/**
 * Draws a screen's text model band by band into a one-band strip and blits
 * each band to the display.
 * The frame is cut into full-width bands (status, title, each body line, soft
 * keys); only bands whose text changed are redrawn and blitted, so the
 * once-a-minute clock update costs one band, not a frame.
 * Every text is first fitted to the pixels it gets (`fit`): the display is
 * described with exactly the text drawn, cut parts ending in '…' and listed
 * in `cut`, so no cut goes unnoticed by a test. A title or soft key label
 * too wide for a small display takes its catalog short form first
 * (i18n/short-forms.ts), as a real phone's abbreviations.
 */
import type { Display, ScreenText } from '../../hal/contract';
import { Canvas } from './canvas';
import { shortFormOf } from './i18n/short-forms';
import { layoutForScreen, type Layout } from './layout';

interface Band { key: string; top: number; draw: () => void }

/** A body line as laid out: `right` drawn at the right edge (before a scroll arrow). */
interface LaidLine { left: string; right: string; cut: boolean }

interface Laid {
  layout: Layout;
  screen: ScreenText;
  lines: LaidLine[];
  /** Soft key boxes: x, width, label as drawn. */
  keys: { x: number; width: number; text: string }[];
}

/** The scroll indicator: a 5x3 triangle drawn at the right edge of the first / last body line. */
const UP = 'up';
const DOWN = 'down';
const ARROW_WIDTH = 5;
/** Pixels between two soft key bars when the row is full (2 otherwise). */
const TIGHT_GAP = 1;
/** Characters (with the ellipsis) a name keeps beside its number before the number is cut too. */
const MIN_LEFT_CHARS = 4;

export class ScreenRenderer {
  /** The band being drawn: made for a render and dropped after it, so an idle phone holds none (10 KiB on the RGB565 board). */
  private strip: Canvas | null = null;
  private drawn: string[] = [];
  /** The screen and layout last drawn and described: the same again is neither drawn nor described. */
  private described: string | null = null;
  /** Line height of the layout on the glass: another one (desk-99's compact / Unicode layouts) moves every band. */
  private drawnHeight: number | null = null;
  /** Bands blitted so far (for the benchmark and tests). */
  bandsBlitted = 0;

  constructor(private readonly display: Omit<Display, 'requestFrame'>, private readonly layout: Layout) {}

  private get canvas(): Canvas {
    return (this.strip ??= new Canvas(this.display.width, this.layout.font.height, this.display.format));
  }

  /** Whether a band's pixels are held now (only while a render runs). */
  get holdsStrip(): boolean {
    return this.strip !== null;
  }

  /** `layout`: chosen from the whole screen before scrolling (ScreenManager), so all of it is drawn alike. */
  render(screen: ScreenText, layout = this.layoutOf(screen)): void {
    const text = `${layout.font.height}|${JSON.stringify(screen)}`;
    if (text === this.described) return;
    try {
      const laid = this.lay(screen, layout);
      const bands = this.bands(laid);
      if (layout.font.height !== this.drawnHeight) this.clearGlass(layout.font.height);
      bands.forEach((band, i) => {
        if (this.drawn[i] === band.key) return;
        this.canvas.originY = band.top;
        band.draw();
        this.blitBand(band.top, laid.layout.font.height);
        this.drawn[i] = band.key;
        this.bandsBlitted++;
      });
      this.drawn.length = bands.length;
      this.display.describe(laid.screen);
      this.described = text;
    } finally {
      this.strip = null;
    }
  }

  /** The text model as drawn: every part fitted, cuts marked. */
  fit(screen: ScreenText, layout = this.layoutOf(screen)): ScreenText {
    return this.lay(screen, layout).screen;
  }

  /** The layout `screen` is drawn with (desk-99: compact when its console font draws it all). */
  layoutOf(screen: ScreenText): Layout {
    return layoutForScreen({ width: this.layout.width, height: this.layout.height, format: this.display.format }, screen);
  }

  /** Forget what is on the glass (after the display was off). */
  invalidate(): void {
    this.drawn = [];
    this.described = null;
    this.drawnHeight = null;
  }

  /** Paper over the whole glass and forget every band: nothing of a layout with other band tops may stay between the new bands. */
  private clearGlass(height: number): void {
    for (let top = 0; top < this.display.height; top += height) {
      this.canvas.originY = top;
      this.canvas.fillRect(0, top, this.canvas.width, height, 'paper');
      this.blitBand(top, height);
    }
    this.drawn = [];
    this.drawnHeight = height;
  }

  /** Pixels a body line gives up to the scroll indicator. */
  private arrowWidth(): number {
    return ARROW_WIDTH;
  }

  private drawArrow(layout: Layout, direction: string, y: number, colour: 'ink' | 'focusInk'): void {
    const x = layout.width - ARROW_WIDTH;
    const top = y + Math.floor(layout.font.height / 2) - 2;
    for (let r = 0; r < 3; r++) {
      const w = direction === UP ? 1 + 2 * r : ARROW_WIDTH - 2 * r;
      this.canvas.fillRect(x + (ARROW_WIDTH - w) / 2, top + r, w, 1, colour);
    }
  }

  private lay(screen: ScreenText, layout: Layout): Laid {
    const { font, width, bodyRows } = layout;
    const cut: string[] = [];
    const status = font.fit(screen.status ?? '', layout.titleRow ? width - 4 : width);
    if (status.cut) cut.push('status');
    const titleRoom = layout.titleRow ? width - 4 : Math.max(0, width - font.measure(status.text) - font.width);
    let title = font.fit(screen.title, titleRoom);
    const shortTitle = title.cut ? shortFormOf(screen.title) : null;
    if (shortTitle !== null) title = font.fit(shortTitle, titleRoom);
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
        // The right part (a number) stays whole while the left part (a name) keeps a few characters;
        // a right part too long for that (a long SIP URI) shares the line half and half.
        const gap = 2 * font.width;
        const leftText = raw.slice(0, tab);
        const leftMin = Math.min(font.measure(leftText), MIN_LEFT_CHARS * font.width);
        const rightText = raw.slice(tab + 1);
        const rightRoom = font.measure(rightText) <= room - leftMin - gap
          ? room - leftMin - gap
          : room - Math.min(font.measure(leftText), Math.floor(room / 2)) - gap;
        const right = font.fit(rightText, Math.max(0, rightRoom));
        const left = font.fit(leftText, Math.max(0, room - font.measure(right.text) - gap));
        laid = { left: left.text, right: right.text, cut: left.cut || right.cut };
      }
      if (laid.cut) cut.push(`line ${i}`);
      return laid;
    });
    const labels = this.softKeyLabels(layout, screen.softKeys);
    const keys = this.softKeyBoxes(layout, labels).map((box, i) => {
      const f = labels[i] ? font.fit(labels[i], box.width) : { text: '', cut: false };
      if (f.cut) cut.push(`key ${i}`);
      return { ...box, text: f.text };
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
    return { layout, screen: described, lines, keys };
  }

  /** Labels as drawn: while the row cannot hold them all, the one whose short form saves most takes it. */
  private softKeyLabels(layout: Layout, labels: string[]): string[] {
    const { font, width } = layout;
    const out = [...labels];
    const rowNeed = () => out.reduce((sum, l) => sum + (l ? font.measure(l) + TIGHT_GAP : 0), 0);
    while (rowNeed() > width) {
      let best = -1;
      let bestShort = '';
      let bestSaving = 0;
      out.forEach((l, i) => {
        if (l !== labels[i]) return;
        const short = l ? shortFormOf(l) : null;
        const saving = short === null ? 0 : font.measure(l) - font.measure(short);
        if (short !== null && saving > bestSaving) { best = i; bestShort = short; bestSaving = saving; }
      });
      if (best < 0) break;
      out[best] = bestShort;
    }
    return out;
  }

  /**
   * Soft key boxes: one slot per key while each label fits its slot. When the
   * labels fit the row but not their slots ("Answer", "Reject", "Forward" on
   * the 132-pixel display), the boxes are packed: each as wide as its label,
   * moved as little as possible from its key, with 2 pixels between bars, 1
   * when the row is that full. Only labels wider than the whole row allows
   * borrow what their neighbours leave and are cut (and marked).
   */
  private softKeyBoxes(layout: Layout, labels: string[]): { x: number; width: number }[] {
    const { font, width } = layout;
    const n = Math.max(1, labels.length);
    const slots = Array.from({ length: n + 1 }, (_, i) => Math.floor((i * width) / n));
    for (const gap of [2, TIGHT_GAP]) {
      const need = labels.map((l) => (l ? font.measure(l) + gap : 0));
      if (need.reduce((a, b) => a + b, 0) > width) continue;
      // Each edge as near its slot's as the labels on either side allow (forward, then backward: both hold when the row fits).
      const edge = [...slots];
      for (let i = 1; i < n; i++) edge[i] = Math.max(edge[i], edge[i - 1] + need[i - 1]);
      for (let i = n - 1; i >= 1; i--) edge[i] = Math.min(edge[i], edge[i + 1] - need[i]);
      return labels.map((_, i) => ({ x: edge[i], width: Math.max(0, edge[i + 1] - edge[i] - gap) }));
    }
    const edge = slots;
    const need = labels.map((l) => (l ? font.measure(l) + 2 : 0));
    const spare = (i: number) => (i < 0 || i >= labels.length ? 0 : edge[i + 1] - edge[i] - need[i]);
    labels.forEach((_, i) => {
      let short = need[i] - (edge[i + 1] - edge[i]);
      if (short <= 0) return;
      const right = Math.max(0, Math.min(short, spare(i + 1)));
      edge[i + 1] += right;
      short -= right;
      const left = Math.max(0, Math.min(short, spare(i - 1)));
      edge[i] -= left;
    });
    return labels.map((_, i) => ({ x: edge[i], width: edge[i + 1] - edge[i] - 2 }));
  }

  private bands(laid: Laid): Band[] {
    const layout = laid.layout;
    const { font, width, bodyRows, bodyTop, softKeyTop } = layout;
    const screen = laid.screen;
    const c = this.canvas;
    const h = font.height;
    const status = screen.status ?? '';
    const statusWidth = font.measure(status);
    const bands: Band[] = [];
    // A change of layout (desk-99 compact / unicode) moves every band: the height in each key redraws them all.
    const lh = `${h}|`;
    if (layout.titleRow) {
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
      bands.push({ key: `${lh}st:${screen.title}|${status}`, top: 0, draw: () => {
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
      bands.push({ key: `${lh}${focused ? 'F' : 'l'}:${line.left}\t${line.right}\t${arrow}`, top: y, draw: () => {
        const ink = focused ? 'focusInk' : 'ink';
        const arrowWidth = arrow ? ARROW_WIDTH : 0;
        c.fillRect(0, y, width, h, focused ? 'focus' : 'paper');
        c.drawText(0, y, line.left, font, ink);
        if (line.right) c.drawText(width - (arrow ? arrowWidth + 1 : 0) - font.measure(line.right), y, line.right, font, ink);
        if (arrow) this.drawArrow(layout, arrow, y, ink);
      } });
    }
    const keys = laid.keys;
    bands.push({ key: `${lh}k:${keys.map((k) => k.text).join('|')}`, top: softKeyTop, draw: () => {
      c.fillRect(0, softKeyTop, width, h, 'paper');
      keys.forEach((k) => {
        if (!k.text) return;
        c.fillRect(k.x + 1, softKeyTop, k.width, h, 'bar');
        c.drawText(k.x + 1 + Math.floor((k.width - font.measure(k.text)) / 2), softKeyTop, k.text, font, 'barInk');
      });
    } });
    return bands;
  }

  private blitBand(top: number, height: number): void {
    const c = this.canvas;
    const rows = Math.min(height, this.display.height - top);
    this.display.blit(0, top, c.width, rows, c.pixels.subarray(0, rows * c.stride));
  }
}
