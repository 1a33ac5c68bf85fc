/**
 * Packs font/unifont-subset.hex into the image's glyph blob: for narrow (8x16)
 * and wide (16x16) glyphs apart, a string of their code points in order (one
 * UTF-16 unit each, binary-searched) and their rows in base64 (16 or 32 bytes
 * a glyph). The firmware decodes one glyph when it first draws it
 * (firmware/ui/glyph-blob.ts), so the whole font never sits decoded in RAM.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { GlyphBlobData } from '../firmware/ui/glyph-blob';

export const UNIFONT_SUBSET = path.resolve(__dirname, '..', 'font', 'unifont-subset.hex');

export function unifontBlob(hexFile = UNIFONT_SUBSET): GlyphBlobData {
  const narrow: [number, string][] = [];
  const wide: [number, string][] = [];
  for (const line of fs.readFileSync(hexFile, 'latin1').split('\n')) {
    const m = /^([0-9A-F]{4}):([0-9A-F]+)$/.exec(line.trim());
    if (!m) continue;
    const cp = parseInt(m[1], 16);
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    (m[2].length === 64 ? wide : narrow).push([cp, m[2]]);
  }
  const pack = (glyphs: [number, string][]) => {
    glyphs.sort((a, b) => a[0] - b[0]);
    return {
      index: glyphs.map((g) => String.fromCharCode(g[0])).join(''),
      bits: Buffer.from(glyphs.map((g) => g[1]).join(''), 'hex').toString('base64'),
    };
  };
  const n = pack(narrow);
  const w = pack(wide);
  return { narrowIndex: n.index, narrowBits: n.bits, wideIndex: w.index, wideBits: w.bits };
}

/** The module the bundler serves for `import ... from 'unifont-glyphs'`. */
export function unifontModuleSource(): string {
  const b = unifontBlob();
  return Object.entries(b).map(([k, v]) => `export const ${k} = ${JSON.stringify(v)};`).join('\n');
}
