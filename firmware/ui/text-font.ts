/**
 * The font a board draws text with: its Terminus console font for the
 * characters that font has (ASCII and a few symbols), GNU Unifont from the
 * image's glyph blob for every other script, Unifont's 16x16 glyphs (CJK,
 * Hangul) taking double width. Lines are `height` pixels: 16, Unifont's
 * height, on both boards; desk-99's 6x12 Terminus glyphs sit vertically
 * centred in them. Also measures and fits text, so what the text model says
 * is exactly what is drawn (an ellipsis where text is cut).
 */
import { BitmapFont } from './font';
import type { FontData } from './font-data';
import { BLOB_GLYPH_HEIGHT, glyphBlob, type Glyph } from './glyph-blob';

export const ELLIPSIS = '\u2026';

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

  constructor(data: FontData) {
    this.primary = new BitmapFont(data);
    this.width = this.primary.width;
    this.height = Math.max(BLOB_GLYPH_HEIGHT, this.primary.height);
    this.primaryTop = Math.floor((this.height - this.primary.height) / 2);
  }

  /** The glyph drawn for `ch` (one code point): console font, else Unifont, else '?'. */
  glyph(ch: string): CellGlyph {
    if (this.primary.has(ch)) return this.fromPrimary(ch);
    const g = glyphBlob()?.glyph(ch.codePointAt(0) ?? 0);
    if (g) return this.fromBlob(g);
    return this.fromPrimary('?');
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
