/**
 * What Unicode text costs per board (issue 20): image bytes of the GNU
 * Unifont glyphs (the resource pack beside the bundle, raw and gzipped), and
 * QuickJS heap of a booted phone with and without them, idle and after
 * drawing a directory of names in every script (glyphs read from the image
 * through the HAL resources device and held in the LRU cache).
 * Run: npm run bench -- font
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware, DEFAULT_ENTRY, DEFAULT_OUT } from '../build/bundle';
import { BOARDS } from '../hal/boards';
import type { KeyName } from '../hal/contract';
import { createPhone, type Phone } from '../sim/phone';

const NAMES = ['Zoë Brown', 'Ólafur Gunnarsson', '张伟', '王秀英', '李娜', '刘洋', 'Νίκος Παππάς', 'Иван Петров', 'דוד לוי', 'محمد علي', 'さくら', '민준', '서연', 'Łukasz Żółć'];
const MASTER = '<APPLICATION CONFIG_FILES="" CONTACTS_DIRECTORY="" OVERRIDES_DIRECTORY="overrides" CALL_LISTS_DIRECTORY="calls" LOG_FILE_DIRECTORY="logs"/>\n';
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function provisioningFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'font-bench-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), MASTER);
  const items = NAMES.map((n, i) => `<item><fn>${n}</fn><ct>${300 + i}</ct></item>`).join('\n');
  fs.writeFileSync(path.join(dir, '000000000000-directory.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<directory><item_list>\n${items}\n</item_list></directory>\n`);
  return dir;
}

async function press(phone: Phone, key: KeyName): Promise<void> {
  await phone.press(key);
}

/** Heap after boot (idle screen) and after scrolling through the whole directory. */
async function heap(board: string, image: string, dir: string): Promise<{ idle: number; names: number }> {
  const phone = await createPhone({ board, engine: 'quickjs', image, provisioningDir: dir });
  try {
    await phone.boot();
    await phone.advance(1000);
    await phone.settle();
    const idle = phone.memoryUsage();
    await press(phone, 'soft4');
    for (const label of ['Contacts', 'Local Directory']) {
      const line = phone.screen().lines.find((l) => l.includes(label));
      if (!line) throw new Error(`no ${label} in ${JSON.stringify(phone.screen())}`);
      await press(phone, line.split('.')[0] as KeyName);
    }
    for (let i = 0; i < NAMES.length; i++) await press(phone, 'down');
    return { idle, names: phone.memoryUsage() };
  } finally {
    phone.dispose();
  }
}

export async function bench(): Promise<void> {
  const withFont = await buildFirmware(DEFAULT_OUT);
  const bare = path.join(os.tmpdir(), `firmware-no-font-${process.pid}.js`);
  const without = await buildFirmware(bare, DEFAULT_ENTRY, undefined, false);
  console.log(`image: bundle ${kib(withFont.bytes)} (${kib(withFont.gzipBytes)} gzipped) + resource pack ${kib(withFont.resourceBytes)} (${kib(withFont.resourceGzipBytes)} gzipped): `
    + `the font costs +${kib(withFont.resourceBytes)} of image, +${kib(withFont.resourceGzipBytes)} gzipped; bundle without it ${kib(without.bytes)}`);
  const glyphs = fs.readFileSync(path.join(__dirname, '..', 'font', 'unifont-subset.hex'), 'latin1').split('\n').filter(Boolean).length;
  console.log(`font subset: ${glyphs} glyphs (Latin, Greek, Cyrillic, Hebrew, Arabic, CJK, kana, Hangul); image bytes are the same for both boards`);
  const dir = provisioningFolder();
  for (const board of ['desk-99', 'desk-500']) {
    // `without`: the same bundle with no resource pack (the firmware then draws '?' for non-ASCII).
    const a = await heap(board, without.outFile, dir);
    const b = await heap(board, withFont.outFile, dir);
    const budget = BOARDS[board].memoryBudgetBytes;
    console.log(`${board}: QuickJS heap idle ${kib(a.idle)} → ${kib(b.idle)} with the font (+${kib(b.idle - a.idle)}), `
      + `after drawing ${NAMES.length} names in every script ${kib(a.names)} → ${kib(b.names)} (+${kib(b.names - a.names)}); `
      + `budget ${kib(budget)}, font share ${((100 * (b.names - a.names)) / budget).toFixed(1)} %`);
  }
  fs.rmSync(bare, { force: true });
  fs.rmSync(bare + '.map', { force: true });
}
