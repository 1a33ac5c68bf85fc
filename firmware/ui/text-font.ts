/**
 * The font a board draws text with: its Terminus console font for the
 * characters that font has (ASCII and a few symbols), GNU Unifont from the
 * image's glyph blob for every other script, Unifont's 16x16 glyphs (CJK,
 * Hangul) taking double width. Lines are `height` pixels: 16, Unifont's
 * height (desk-99's 6x12 Terminus glyphs sit vertically centred in them),
 * or the console font's own for text it draws whole (desk-99's compact layout). Also measures and fits text, so what the text model says
 * is exactly what is drawn (an ellipsis where text is cut).
 */
import { BitmapFont } from './font';
import type { FontData } from './font-data';
import { BLOB_GLYPH_HEIGHT, glyphBlob, type Glyph } from './glyph-blob';

export const ELLIPSIS = '\u2026';

/** Hebrew and Arabic letters (and their presentation forms): written right to left. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

/**
 * The order glyphs are drawn in, left to right: each run of right-to-left
 * letters (with the spaces and marks between them) reversed, the rest as
 * stored. A reduced bidirectional algorithm, enough for names in Hebrew or
 * Arabic beside Latin text and digits; no contextual Arabic shaping.
 */
export function visualOrder(text: string): string {
  if (!RTL.test(text)) return text;
  const chars = [...text];
  let out = '';
  for (let i = 0; i < chars.length;) {
    if (!RTL.test(chars[i])) { out += chars[i++]; continue; }
    let end = i;
    // Extend the run over neutrals (spaces, punctuation) that are followed by another RTL letter.
    for (let j = i; j < chars.length; j++) {
      if (RTL.test(chars[j])) end = j;
      else if (/[\p{L}\p{N}]/u.test(chars[j])) break;
    }
    out += chars.slice(i, end + 1).reverse().join('');
    i = end + 1;
  }
  return out;
}

/** A glyph placed in a line cell: rows[y] of the cell (top offset applied), leftmost pixel in bit `bits - 1`. */
export interface CellGlyph {
  advance: number;
  bits: number;
  top: number;
  rows: ArrayLike<number>;
}

export interface Fitted {
  text: string;
  cut: boolean;
}

export class TextFont {
  /** Line height in pixels. */
  readonly height: number;
  /** Cell width of the console font (one ASCII character). */
  readonly width: number;
  private readonly primary: BitmapFont;
  private readonly primaryTop: number;
  private readonly primaryGlyphs = new Map<string, CellGlyph>();

  /** `console`: lines of the console font's height, for text that font draws whole (see consoleDraws). */
  constructor(data: FontData, lines: 'unicode' | 'console' = 'unicode') {
    this.primary = new BitmapFont(data);
    this.width = this.primary.width;
    this.height = lines === 'console' ? this.primary.height : Math.max(BLOB_GLYPH_HEIGHT, this.primary.height);
    this.primaryTop = Math.floor((this.height - this.primary.height) / 2);
  }

  /** The glyph drawn for `ch` (one code point): console font, else Unifont, else '?'. */
  glyph(ch: string): CellGlyph {
    if (this.primary.has(ch)) return this.fromPrimary(ch);
    const g = glyphBlob()?.glyph(ch.codePointAt(0) ?? 0);
    if (g) return this.fromBlob(g);
    return this.fromPrimary('?');
  }

  /** Does the console font alone draw every character of `text` (and the ellipsis)? */
  consoleDraws(text: string): boolean {
    for (const ch of text) if (!this.primary.has(ch)) return false;
    return true;
  }

  /** Is pixel (x, y) of the line cell of `ch` inked? */
  pixel(ch: string, x: number, y: number): boolean {
    const g = this.glyph(ch);
    const gy = y - g.top;
    if (x < 0 || x >= g.advance || gy < 0 || gy >= g.rows.length) return false;
    return ((g.rows[gy] >> (g.bits - 1 - x)) & 1) === 1;
  }

  /** Is `ch` drawn double width (CJK, Hangul, full-width forms)? */
  isWide(ch: string): boolean {
    return this.glyph(ch).advance >= 16;
  }

  /** Width of `text` in pixels. */
  measure(text: string): number {
    let w = 0;
    for (const ch of text) w += this.glyph(ch).advance;
    return w;
  }

  /** `text` as drawn in `maxWidth` pixels: whole, or cut with an ellipsis. */
  fit(text: string, maxWidth: number): Fitted {
    if (this.measure(text) <= maxWidth) return { text, cut: false };
    const room = maxWidth - this.glyph(ELLIPSIS).advance;
    let w = 0;
    let out = '';
    for (const ch of text) {
      const a = this.glyph(ch).advance;
      if (w + a > room) break;
      w += a;
      out += ch;
    }
    return { text: room >= 0 ? out.replace(/ +$/, '') + ELLIPSIS : '', cut: true };
  }

  private fromPrimary(ch: string): CellGlyph {
    let g = this.primaryGlyphs.get(ch);
    if (!g) {
      const p = this.primary;
      const n = p.glyph(ch);
      const rows: number[] = [];
      for (let y = 0; y < p.height; y++) rows.push(p.glyphRow(n, y));
      g = { advance: p.width, bits: p.bytesPerRow * 8, top: this.primaryTop, rows };
      this.primaryGlyphs.set(ch, g);
    }
    return g;
  }

  private fromBlob(g: Glyph): CellGlyph {
    return { advance: g.width, bits: g.width, top: Math.floor((this.height - BLOB_GLYPH_HEIGHT) / 2), rows: g.rows };
  }
}
