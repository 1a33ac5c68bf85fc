/**
 * Regenerates font/unifont-subset.hex, the part of GNU Unifont the phone
 * draws, from the upstream .hex file (Debian package `unifont`:
 * /usr/share/unifont/unifont.hex). The subset is committed so a clone builds
 * without the package; the build turns it into the image's glyph blob
 * (build/unifont-blob.ts).
 * Run: npx ts-node font/subset-unifont.ts [/path/to/unifont.hex]
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** Blocks the phone draws: [first, last, name]. */
export const BLOCKS: [number, number, string][] = [
  [0x0020, 0x007e, 'Basic Latin'],
  [0x00a0, 0x00ff, 'Latin-1 Supplement'],
  [0x0100, 0x017f, 'Latin Extended-A'],
  [0x0180, 0x024f, 'Latin Extended-B'],
  [0x0370, 0x03ff, 'Greek and Coptic'],
  [0x0400, 0x04ff, 'Cyrillic'],
  [0x0590, 0x05ff, 'Hebrew'],
  [0x0600, 0x06ff, 'Arabic (isolated forms)'],
  [0x2000, 0x206f, 'General Punctuation'],
  [0x20a0, 0x20bf, 'Currency Symbols'],
  [0x2190, 0x21ff, 'Arrows'],
  [0x25a0, 0x25ff, 'Geometric Shapes'],
  [0x3000, 0x303f, 'CJK Symbols and Punctuation'],
  [0x3040, 0x309f, 'Hiragana'],
  [0x30a0, 0x30ff, 'Katakana'],
  [0x4e00, 0x9fff, 'CJK Unified Ideographs'],
  [0xac00, 0xd7a3, 'Hangul Syllables'],
  [0xff00, 0xffef, 'Halfwidth and Fullwidth Forms'],
];

function main(): void {
  const source = process.argv[2] ?? '/usr/share/unifont/unifont.hex';
  const raw = fs.readFileSync(source);
  const text = (source.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('latin1');
  const inBlocks = (cp: number) => BLOCKS.some(([a, b]) => cp >= a && cp <= b);
  const kept = text.split('\n').filter((line) => {
    const m = /^([0-9A-F]{4}):([0-9A-F]{32}|[0-9A-F]{64})$/.exec(line.trim());
    return m !== null && inBlocks(parseInt(m[1], 16));
  });
  const target = path.join(__dirname, 'unifont-subset.hex');
  fs.writeFileSync(target, kept.map((l) => l.trim()).join('\n') + '\n');
  console.log(`wrote ${path.relative(process.cwd(), target)}: ${kept.length} glyphs from ${source}`);
}

if (require.main === module) main();
