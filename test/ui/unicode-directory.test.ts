/**
 * Issue 20: names in every script on both boards, on the real bundle in
 * QuickJS. The text model shows the names, the framebuffer shows their
 * glyphs pixel for pixel as the committed font has them (CJK double width),
 * a cut line ends in '…' and is listed in `cut`, a long name gives way to its
 * number, and the Placed list names a known number.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS as BOARD_INFO } from '../../hal/boards';
import type { KeyName } from '../../hal/contract';
import type { Phone } from '../../sim/phone';
import { layoutFor } from '../../firmware/ui/layout';
import { bootPhone, BOARDS } from '../helpers/sim';
import { directoryXml } from '../directory/directory-fixture';
import { drawnMask, expectedMask } from './font-reference';

const MASTER = '<APPLICATION CONFIG_FILES="" CONTACTS_DIRECTORY="" OVERRIDES_DIRECTORY="overrides" CALL_LISTS_DIRECTORY="calls" LOG_FILE_DIRECTORY="logs"/>\n';
const LONG_NAME = 'Maximiliane-Alexandra Hohenlohe'; // 31 characters: with ' Z', a 33-character line name
const NAMES: { fn: string; ln?: string; ct: string; shown: string }[] = [
  { fn: 'Zoë', ln: 'Brown', ct: '201', shown: 'Zoë Brown' },
  { fn: 'Ólafur', ln: 'Gunnarsson', ct: '202', shown: 'Ólafur Gunnarsson' },
  { fn: '张伟', ct: '203', shown: '张伟' },
  { fn: 'Νίκος', ct: '204', shown: 'Νίκος' },
  { fn: 'Иван', ct: '205', shown: 'Иван' },
  { fn: 'דוד', ln: 'לוי', ct: '206', shown: 'דוד לוי' },
  { fn: 'محمد', ct: '207', shown: 'محمد' },
  { fn: 'さくら', ct: '208', shown: 'さくら' },
  { fn: '민준', ct: '209', shown: '민준' },
];

function provisioningFolder(extra: { fn: string; ln?: string; ct: string }[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'font-prov-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), MASTER);
  fs.writeFileSync(path.join(dir, '000000000000-directory.xml'), directoryXml([...NAMES.map(({ shown: _, ...c }) => c), ...extra]));
  return dir;
}

async function openMenuEntry(phone: Phone, label: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const line = phone.screen().lines.find((l) => l.includes(label));
    if (line) return phone.press(line.split('.')[0] as KeyName);
    await phone.press('down');
  }
  assert.unreachable(`menu entry ${label} not found`);
}

async function openLocalDirectory(phone: Phone): Promise<void> {
  // From the idle screen: the Menu soft key (desk-99 has no Home key).
  if (phone.screen().id !== 'menu') await phone.press('soft4');
  await openMenuEntry(phone, 'Contacts');
  await openMenuEntry(phone, 'Local Directory');
  assert.is(phone.screen().id, 'directory');
}

async function boot(board: string, dir: string): Promise<Phone> {
  const phone = await bootPhone({ board, engine: 'quickjs', provisioningDir: dir });
  await phone.advance(1000);
  await phone.settle();
  return phone;
}

for (const board of BOARDS) {
  test(`${board}: directory names in Latin, Greek, Cyrillic, Hebrew, Arabic, CJK, kana, Hangul: text model and glyph pixels`, async () => {
    const geometry = BOARD_INFO[board].display;
    const layout = layoutFor(geometry);
    const phone = await boot(board, provisioningFolder());
    try {
      await openLocalDirectory(phone);
      const seen = new Set<string>();
      for (let step = 0; step <= NAMES.length + 1; step++) {
        const s = phone.screen();
        s.lines.forEach((line, row) => {
          const n = NAMES.find((x) => line.endsWith(`  ${x.ct}`));
          if (!n) return;
          const name = line.slice(0, -`  ${n.ct}`.length);
          const cut = s.cut?.includes(`line ${row}`) ?? false;
          if (cut) {
            // Only the small display may cut (the number stays whole), and then says so with '…'.
            assert.is(board, 'desk-99', `${n.shown} cut on ${board}`);
            assert.ok(name.endsWith('…') && n.shown.startsWith(name.slice(0, -1)) && name.length > 8, `cut as drawn: ${line}`);
          } else {
            assert.is(name, n.shown);
          }
          const want = expectedMask(name, geometry);
          const got = drawnMask(phone.devices.display, layout.bodyTop + row * layout.font.height, want[0].length);
          assert.equal(got, want, `${board}: pixels of "${name}" as the font draws them`);
          seen.add(n.shown);
        });
        await phone.press('down');
      }
      assert.equal([...seen].sort(), NAMES.map((n) => n.shown).sort(), 'every name seen and checked');
      // CJK at double width: two glyphs of 16 pixels.
      assert.is(expectedMask('张伟', geometry)[0].length, 32);
    } finally {
      phone.dispose();
    }
  });
}

test('desk-500: a 32-character name gives way to its number, cut with an ellipsis and marked as cut', async () => {
  const name = `${LONG_NAME} Z`;
  assert.is(name.length, 33);
  const phone = await boot('desk-500', provisioningFolder([{ fn: LONG_NAME, ln: 'Z', ct: '+4930123456789' }]));
  try {
    await openLocalDirectory(phone);
    let line = -1;
    for (let i = 0; i < NAMES.length + 2 && line < 0; i++) {
      line = phone.screen().lines.findIndex((l) => l.startsWith('Maximil'));
      if (line < 0) await phone.press('down');
    }
    const s = phone.screen();
    assert.ok(line >= 0, JSON.stringify(s.lines));
    const text = s.lines[line];
    assert.ok(text.endsWith('…  +4930123456789'), `number whole after an ellipsis: ${text}`);
    assert.ok(s.cut?.includes(`line ${line}`), `cut marked: ${JSON.stringify(s.cut)}`);
    // The drawn number ends at the right edge, every digit whole.
    const geometry = BOARD_INFO['desk-500'].display;
    const layout = layoutFor(geometry);
    const want = expectedMask(text, geometry);
    const got = drawnMask(phone.devices.display, layout.bodyTop + line * layout.font.height, geometry.width);
    const number = expectedMask('+4930123456789', geometry);
    const w = number[0].length;
    const scrollArrow = s.more === 'down' || s.more === 'both' ? 0 : 0;
    assert.equal(got.map((r) => r.slice(geometry.width - w - scrollArrow)), number, 'the number drawn whole at the right edge');
    const left = expectedMask(text.slice(0, text.indexOf('…') + 1), geometry);
    assert.equal(got.map((r) => r.slice(0, left[0].length)), left, 'the name drawn as described, ellipsis included');
    assert.ok(want.length === 16);
  } finally {
    phone.dispose();
  }
});

test('desk-500: the Placed list names a number the directory knows', async () => {
  const phone = await boot('desk-500', provisioningFolder());
  try {
    phone.farEnd.script([{ target: '*', action: 'answer', afterMs: 1000 }]);
    await phone.pressAll(['2', '0', '1'] as KeyName[]);
    assert.is(phone.screen().id, 'dial');
    await phone.press('soft1');
    assert.is(phone.screen().id, 'call');
    await phone.advance(3000);
    await phone.press('soft4');
    assert.is(phone.screen().id, 'idle');
    await phone.press('soft2');
    await phone.press('3');
    assert.is(phone.screen().id, 'calllist-placed');
    assert.match(phone.screen().lines[0], /^01-01 09:00 Zoë Brown$/);
  } finally {
    phone.dispose();
  }
});

test.run();
