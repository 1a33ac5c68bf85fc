/**
 * Both board profiles boot the same image to the idle screen in both engines
 * with the same screen text; the text model matches the framebuffer; the
 * Settings menu tree of the spec is navigable, Advanced behind the admin password.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PNG } from 'pngjs';
import type { KeyName, ScreenText } from '../../hal/contract';
import { BOARDS, boardProfile } from '../../hal/boards';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';
import { showsText } from '../../sim/shown-text';
import { readBodyLines } from './framebuffer-text';

const ENGINES = ['quickjs', 'node'] as const;

/** Open the menu entry with this label on the current menu screen (by its number). */
async function open(phone: Phone, label: string): Promise<void> {
  for (let tries = 0; tries < 30; tries++) {
    const line = phone.screen().lines.find((l) => showsText(l.replace(/ >$/, '').replace(/^\d+\. /, ''), label));
    if (line) {
      const n = Number(/^(\d+)\./.exec(line)![1]);
      if (n <= 9) await phone.press(String(n) as KeyName);
      else {
        while (phone.screen().lines[phone.screen().focus] !== line) await phone.press('down');
        await phone.press('select');
      }
      return;
    }
    await phone.press('down');
  }
  throw new Error(`no entry "${label}" on ${JSON.stringify(phone.screen())}`);
}

const labels = (s: ScreenText) => s.lines.map((l) => l.replace(/^\d+\. /, '').replace(/ >$/, ''));

/** The title as described: whole, or cut with '…' and marked as cut (desk-99's top row also holds the clock). */
function assertTitle(s: ScreenText, title: string, message?: string): void {
  if (s.cut?.includes('title')) assert.ok(showsText(s.title, title), message ?? `title ${s.title} is ${title}, cut`);
  else assert.is(s.title, title, message);
}

/** Every entry of the menu on screen: the small display shows a few lines at a time, so scroll through it. */
async function menuLabels(phone: Phone): Promise<Set<string>> {
  const all = new Set<string>();
  for (let i = 0; i < 12; i++) {
    labels(phone.screen()).forEach((l) => all.add(l));
    await phone.press('down');
  }
  return all;
}

test('an inherited property name is not a board profile', () => {
  for (const id of ['constructor', 'toString', '__proto__']) assert.throws(() => boardProfile(id), new RegExp(`unknown board profile "${id}"`));
});

test('the two profiles: geometry, keys, contact limit, memory budget, flash layout', () => {
  const big = boardProfile('desk-500');
  const small = boardProfile('desk-99');
  assert.equal(big.display, { width: 320, height: 240, format: 'rgb565' });
  assert.equal(small.display, { width: 132, height: 64, format: 'mono1' });
  assert.is(big.contactLimit, 500);
  assert.is(small.contactLimit, 99);
  assert.ok(big.memoryBudgetBytes > small.memoryBudgetBytes);
  assert.ok(big.keys.includes('line4') && !small.keys.includes('line4'));
  for (const p of Object.values(BOARDS)) {
    assert.equal(p.flash.partitions.map((x) => x.name), ['nvram', 'fs', 'updater']);
    for (const part of p.flash.partitions) assert.is(part.size % p.flash.blockSize, 0);
    assert.ok(p.flash.blockSize % p.flash.progSize === 0);
    for (const k of ['soft1', 'soft4', 'select', 'back', 'hook', '0', '#'] as KeyName[]) assert.ok(p.keys.includes(k), `${p.profile} has ${k}`);
  }
  assert.throws(() => boardProfile('desk-1'), /unknown board profile "desk-1" \(known: desk-500, desk-99\)/);
});

for (const board of ['desk-500', 'desk-99']) {
  test(`${board}: boots to idle in QuickJS and Node with the same screen text`, async () => {
    const screens: ScreenText[] = [];
    for (const engine of ENGINES) {
      const phone = await bootPhone({ board, engine });
      try {
        const s = phone.screen();
        assert.is(s.id, 'idle', engine);
        assert.is(s.title, BOARDS[board].model);
        assert.is(s.lines[0], 'Thursday, 1 January');
        assert.ok(s.lines.includes('Line 1: registered'), s.lines.join(' | '));
        assert.is(s.softKeys[3], 'Menu');
        assert.is(s.status, '09:00');
        assert.equal(phone.faults, []);
        assert.is(phone.lastBootReason(), 'power-on');
        screens.push(s);
      } finally {
        phone.dispose();
      }
    }
    assert.equal(screens[0], screens[1], 'QuickJS and Node show the same');
  });

  test(`${board}: the framebuffer PNG has the board geometry and shows the text model`, async () => {
    const phone = await bootPhone({ board });
    try {
      const geometry = BOARDS[board].display;
      const scale = geometry.format === 'mono1' ? 3 : 2;
      const png = PNG.sync.read(phone.screenshotPng());
      assert.is(png.width, geometry.width * scale);
      assert.is(png.height, geometry.height * scale);
      const distinct = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) distinct.add(png.data.readUInt32BE(i));
      assert.ok(distinct.size >= 2, 'something is drawn');
      for (const keys of [[], ['soft4'], ['1'], ['down']] as KeyName[][]) {
        await phone.pressAll(keys);
        const drawn = readBodyLines(phone.devices.display, geometry, phone.screen());
        const columns = Math.floor(geometry.width / (geometry.width >= 240 ? 8 : 6));
        const described = phone.screen().lines.map((l) => l.slice(0, columns).replace(/ +$/, ''));
        while (described.length && described[described.length - 1] === '') described.pop();
        assert.equal(drawn, described, `after ${keys.join(',') || 'boot'}`);
      }
      assert.is(phone.screen().focus, 1, 'the focus moved down');
    } finally {
      phone.dispose();
    }
  });
}

async function walkSettings(phone: Phone): Promise<ScreenText[]> {
  const seen: ScreenText[] = [];
  const step = async (fn: () => Promise<void>) => { await fn(); seen.push(phone.screen()); };
  await step(() => phone.press('soft4'));
  assertTitle(phone.screen(), 'Menu');
  await step(() => open(phone, 'Settings'));
  assertTitle(phone.screen(), 'Settings');
  for (const entry of ['Basic', 'Advanced', 'Status']) assert.ok([...(await menuLabels(phone))].some((l) => showsText(l, entry)), `Settings has ${entry}`);

  await step(() => open(phone, 'Status'));
  assert.is(phone.screen().id, 'status');
  assert.is(phone.screen().lines[0], `Model: ${phone.profile.model}`);
  // The small display shows three lines at a time: down scrolls the rest into view.
  const statusLines = new Set(phone.screen().lines);
  for (let i = 0; i < 8; i++) {
    await step(() => phone.press('down'));
    phone.screen().lines.forEach((l) => statusLines.add(l));
  }
  assert.ok(statusLines.has(`MAC: ${phone.profile.mac}`));
  assert.ok(statusLines.has('Boot: power-on #1'), [...statusLines].join(' | '));
  assert.ok(statusLines.has(`Firmware: ${require('../../package.json').version}`));
  await step(() => phone.press('up'));
  await step(() => phone.press('back'));
  assertTitle(phone.screen(), 'Settings');

  await step(() => open(phone, 'Basic'));
  assertTitle(phone.screen(), 'Basic');
  await step(() => phone.press('back'));

  await step(() => open(phone, 'Advanced'));
  assert.is(phone.screen().id, 'password', 'Advanced asks for a password');
  await step(() => phone.pressAll(['9', '9', '9']));
  // up.echoPasswordDigits=1 (spec default): the last digit shows briefly, then it is masked too.
  assert.ok(phone.screen().lines.some((l) => l.startsWith('Password: **9')), 'earlier digits masked, the last one echoed');
  await step(() => phone.advance(1500));
  assert.ok(phone.screen().lines.some((l) => l.startsWith('Password: ***')), 'digits masked');
  await step(() => phone.press('soft1'));
  assert.is(phone.screen().id, 'password', 'a wrong password is refused');
  assert.ok(phone.screen().lines.includes('Incorrect password'));
  assert.ok(phone.log().some((l) => /\|auth\|3\|\d+\|login attempt: menu password for "Advanced" by admin prompt: failure/.test(l)), 'the refusal is logged');

  const logBeforePassword = phone.log().length;
  await step(() => phone.pressAll(['4', '5', '6', 'soft1']));
  // SB-327: the default admin password must be replaced before Advanced opens.
  assertTitle(phone.screen(), 'Change Admin Password');
  await step(() => phone.pressAll(['7', '3', '0', '1', 'soft1', '7', '3', '0', '1', 'soft1']));
  await step(() => phone.press('soft1'));
  assertTitle(phone.screen(), 'Advanced');
  assert.ok(phone.log().some((l) => /login attempt: menu password for "Advanced" by admin: success/.test(l)));
  // Only what was logged from the password's entry on: earlier lines may hold the same digits as a count.
  const sincePassword = phone.log().slice(logBeforePassword).filter((l) => /(?<!\d)456(?!\d)/.test(l));
  assert.is(sincePassword.length, 0, `the password itself is never logged: ${sincePassword.join('\n')}`);
  await step(() => open(phone, 'Administration Settings'));
  assertTitle(phone.screen(), 'Administration Settings');
  assert.ok([...(await menuLabels(phone))].some((l) => showsText(l, 'Reset to Defaults')));
  await step(() => open(phone, 'Reset to Defaults'));
  assertTitle(phone.screen(), 'Reset to Defaults');
  if (phone.profile.keys.includes('home')) await step(() => phone.press('home'));
  else {
    const refused = await phone.press('home').then(() => '', (e: Error) => e.message);
    assert.is(refused, `board ${phone.profile.profile} has no "home" key`);
    assert.equal(phone.faults, [], 'a missing key is not a firmware fault');
    for (let i = 0; i < 8 && phone.screen().id !== 'idle'; i++) await step(() => phone.press('back'));
  }
  assert.is(phone.screen().id, 'idle');

  // Going idle ends the admin session: Advanced asks again.
  await step(() => phone.press('soft4'));
  await step(() => open(phone, 'Settings'));
  await step(() => open(phone, 'Advanced'));
  assert.is(phone.screen().id, 'password');
  await step(() => phone.press('soft4'));
  assertTitle(phone.screen(), 'Settings', 'Cancel goes back');
  return seen;
}

for (const board of ['desk-500', 'desk-99']) {
  test(`${board}: Settings > Basic, Status, Advanced behind the admin password, Administration Settings, Reset to Defaults — same in both engines`, async () => {
    const walks: ScreenText[][] = [];
    for (const engine of ENGINES) {
      const phone = await bootPhone({ board, engine });
      try {
        walks.push(await walkSettings(phone));
        assert.equal(phone.faults, []);
      } finally {
        phone.dispose();
      }
    }
    assert.equal(walks[0], walks[1]);
  });
}

test.run();
