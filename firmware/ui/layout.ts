/**
 * Screen layout for a display geometry: which font, how many body lines fit,
 * where bars go. The large colour display gets separate status and title
 * rows; the small monochrome one shares one top row.
 * Lines are 16 pixels (GNU Unifont's height) for every script. The 64-pixel
 * desk-99 display has a compact layout too: a screen whose text its 6x12
 * console font draws whole (ASCII) gets 12-pixel lines and three body lines
 * instead of two (`layoutForScreen`).
 */
import type { BoardInfo, ScreenText } from '../../hal/contract';
import { terminus6x12, terminus8x16 } from './font-data';
import { TextFont } from './text-font';

export interface Layout {
  /** Console font for ASCII, Unifont for other scripts; lines are font.height (16) pixels on both boards. */
  font: TextFont;
  width: number;
  height: number;
  /** ASCII characters per line (wide characters take two). */
  columns: number;
  /** Body lines visible at once. */
  bodyRows: number;
  /** Separate title row below the status row. */
  titleRow: boolean;
  /** y of the first body line. */
  bodyTop: number;
  /** y of the soft key row. */
  softKeyTop: number;
}

let large: TextFont | null = null;
let small: TextFont | null = null;
let smallCompact: TextFont | null = null;

/** The layout for text in any script. */
export function layoutFor(display: BoardInfo['display']): Layout {
  const big = display.width >= 240;
  return layoutWith(display, big ? (large ??= new TextFont(terminus8x16)) : (small ??= new TextFont(terminus6x12)));
}

/** The layout a screen is drawn with: the compact one on desk-99 when its console font draws every character. */
export function layoutForScreen(display: BoardInfo['display'], screen: ScreenText): Layout {
  const full = layoutFor(display);
  if (display.width >= 240) return full;
  const compact = layoutWith(display, (smallCompact ??= new TextFont(terminus6x12, 'console')));
  const texts = [screen.title, screen.status ?? '', ...screen.lines.map((l) => l.replace('\t', ' ')), ...screen.softKeys];
  return texts.every((t) => compact.font.consoleDraws(t)) ? compact : full;
}

function layoutWith(display: BoardInfo['display'], font: TextFont): Layout {
  const big = display.width >= 240;
  const rows = Math.floor(display.height / font.height);
  const titleRow = big;
  const headerRows = titleRow ? 2 : 1;
  return {
    font,
    width: display.width,
    height: display.height,
    columns: Math.floor(display.width / font.width),
    bodyRows: rows - headerRows - 1,
    titleRow,
    bodyTop: headerRows * font.height,
    softKeyTop: display.height - font.height,
  };
}
