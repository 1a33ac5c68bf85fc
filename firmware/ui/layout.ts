/**
 * Screen layout for a display geometry: which font, how many body lines fit,
 * where bars go. The large colour display gets separate status and title
 * rows; the small monochrome one shares one top row.
 */
import type { BoardInfo } from '../../hal/contract';
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

export function layoutFor(display: BoardInfo['display']): Layout {
  const big = display.width >= 240;
  const font = big ? (large ??= new TextFont(terminus8x16)) : (small ??= new TextFont(terminus6x12));
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
