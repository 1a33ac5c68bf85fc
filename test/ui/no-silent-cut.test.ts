/**
 * Issue 20, point 5: the text model tells the truth. A walk through the
 * menus of a desk-99 (the real bundle in QuickJS) checks every screen it
 * meets: each body line is drawn pixel for pixel as described (so nothing is
 * cut on the glass that the text model shows whole), every part that ends in
 * '…' is listed in `cut` and every listed part does end in '…', and a screen
 * that scrolls says so (`more`) and draws the indicator. On desk-99, in every
 * catalog language, the idle screen of a logged-in user, the incoming call and
 * the local directory show their soft keys and title whole (packed soft keys,
 * catalog short forms), never cut; body lines are checked as above.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS as BOARD_INFO } from '../../hal/boards';
import type { KeyName, ScreenText } from '../../hal/contract';
import { layoutFor, layoutForScreen, type Layout } from '../../firmware/ui/layout';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';
import { LANGUAGES, setLanguage, t, tLabel } from '../../firmware/ui/i18n/messages';
import { USER, USER_PASSWORD, bootOn, profileFolder, until } from '../login/login-fixture';
import { drawnMask, expectedMask } from './font-reference';

const geometry = BOARD_INFO['desk-99'].display;
/** Pixels at the right of a line kept for the scroll indicator. */
const INDICATOR = 6;
/** Entries the walk does not open: they act at once or end the session. */
const UNSAFE = /Reset|Restart|Reboot|Update|Log ?out|Clear|Restrict|Delete/i;

function blank(n: number, height: number): string[] {
  return Array.from({ length: height }, () => '0'.repeat(n));
}

/** Every way `line` may have been laid out: left-aligned, or `left  right` with right at the right edge. */
function layoutsOf(line: string, room: number, height: number): string[][] {
  const whole = expectedMask(line, geometry, height);
  const out: string[][] = [];
  if (whole[0].length <= room) out.push(whole.map((r) => r.padEnd(room, '0')));
  const split = line.lastIndexOf('  ');
  if (split > 0) {
    const left = expectedMask(line.slice(0, split), geometry, height);
    const right = expectedMask(line.slice(split + 2), geometry, height);
    const gap = room - left[0].length - right[0].length;
    if (gap >= 0) out.push(left.map((r, y) => r + '0'.repeat(gap) + right[y]));
  }
  return out;
}

function checkScreen(phone: Phone, s: ScreenText, where: string): void {
  const cut = s.cut ?? [];
  const parts: [string, string][] = [['title', s.title], ['status', s.status ?? ''],
    ...s.lines.map((l, i): [string, string] => [`line ${i}`, l]), ...s.softKeys.map((k, i): [string, string] => [`key ${i}`, k])];
  for (const [name, text] of parts) {
    if (cut.includes(name)) assert.ok(text.endsWith('…'), `${where}: ${name} listed as cut ends in '…': ${JSON.stringify(text)}`);
    else assert.not.ok(text.endsWith('…') && text !== '…', `${where}: ${name} ends in '…' but is not listed in cut: ${JSON.stringify(s)}`);
  }
  // The layout is chosen from the whole list, scrolled-off lines too (ScreenManager): a scrolled screen
  // whose visible lines are ASCII may still be in the 16-pixel layout, so both are tried for it.
  const layouts = s.more ? [layoutForScreen(geometry, s), layoutFor(geometry)] : [layoutForScreen(geometry, s)];
  const problems = layouts.map((layout) => linesProblem(phone, s, where, layout));
  const ok = problems.find((p) => p === null);
  assert.ok(ok === null, problems[0] ?? '');
}

/** Why the body lines are not drawn as described in `layout` (with the scroll indicator where `more` says), or null. */
function linesProblem(phone: Phone, s: ScreenText, where: string, layout: Layout): string | null {
  const h = layout.font.height;
  for (let i = 0; i < s.lines.length; i++) {
    const line = s.lines[i];
    const arrowHere = (i === 0 && (s.more === 'up' || s.more === 'both')) || (i === s.lines.length - 1 && (s.more === 'down' || s.more === 'both'));
    const room = geometry.width - (arrowHere ? INDICATOR : 0);
    const top = layout.bodyTop + i * layout.font.height;
    const got = drawnMask(phone.devices.display, top, room, h);
    const candidates = layoutsOf(line, room, h);
    if (candidates.length === 0) return `${where}: line ${i} ${JSON.stringify(line)} is wider than the display yet described whole`;
    if (!candidates.some((c) => c.join() === got.join())) return `${where}: line ${i} drawn as described: ${JSON.stringify(line)}\n${got.join('\n')}`;
    if (arrowHere) {
      const indicator = drawnMask(phone.devices.display, top, geometry.width, h).map((r) => r.slice(room));
      if (indicator.join() === blank(INDICATOR, h).join()) return `${where}: scroll indicator drawn on line ${i}`;
    }
  }
  return null;
}

test('desk-99: no screen of a walk through the menus has an unmarked cut; Status shows that it scrolls', async () => {
  const phone = await bootPhone({ board: 'desk-99', engine: 'quickjs' });
  const seen = new Set<string>();
  let screens = 0;
  const visit = (where: string) => {
    const s = phone.screen();
    checkScreen(phone, s, where);
    seen.add(s.id);
    screens++;
    return s;
  };
  /** The numbered entries of the menu on screen, scrolling through it. */
  const entries = async (): Promise<string[]> => {
    const found = new Map<string, string>();
    for (let i = 0; i < 12; i++) {
      for (const l of visit(`menu ${phone.screen().title}`).lines) {
        const m = /^(\d)\. (.*)$/.exec(l);
        if (m) found.set(m[1], m[2]);
      }
      await phone.press('down');
    }
    return [...found.entries()].sort().map(([n, label]) => `${n}. ${label}`);
  };
  const walk = async (depth: number): Promise<void> => {
    const here = phone.screen().title;
    for (const entry of await entries()) {
      if (UNSAFE.test(entry)) continue;
      await phone.press(entry[0] as KeyName);
      const s = visit(`${here} > ${entry}`);
      if (s.id === 'menu' && s.title !== here && depth < 3) await walk(depth + 1);
      else {
        // Scroll the screen through, checking each step (Status and other text pages).
        for (let i = 0; i < 8; i++) { await phone.press('down'); visit(`${here} > ${entry} (scrolled ${i + 1})`); }
      }
      for (let i = 0; i < 4 && !(phone.screen().id === 'menu' && phone.screen().title === here); i++) await phone.press('back');
      assert.is(phone.screen().title, here, `back to ${here} from ${entry}`);
    }
  };
  try {
    await phone.advance(1000);
    await phone.settle();
    visit('idle');
    await phone.press('soft4');
    await walk(0);
    assert.ok(seen.has('status'), `Status visited: ${[...seen].join(', ')}`);
    assert.ok(screens > 40, `${screens} screens checked`);
    // Status scrolls on the 2-line body: it says so and draws the indicator.
    await phone.press('back');
    await phone.press('soft4');
    await phone.press('1');
    const status = (await (async () => { await phone.press('3'); return phone.screen(); })());
    assert.is(status.id, 'status');
    assert.is(status.more, 'down');
    await phone.press('down');
    assert.is(phone.screen().more, 'both');
  } finally {
    phone.dispose();
  }
});

/** Open the menu entry whose (translated) label is `label`, from the menu on screen. */
async function openEntry(phone: Phone, label: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    const line = phone.screen().lines.find((l) => new RegExp(`^\\d\\. ${label}( |$)`).test(l));
    if (line) return phone.press(line[0] as KeyName);
    await phone.press('down');
  }
  throw new Error(`no ${label} in ${JSON.stringify(phone.screen())}`);
}

for (const language of LANGUAGES) {
  test(`desk-99 in ${language.name}: idle (logged in), incoming call and local directory show soft keys and title whole`, async () => {
    const folder = profileFolder({ 'lcl.ml.lang': language.polycom });
    const phone = await bootOn(folder, { board: 'desk-99', engine: 'quickjs' });
    const whole = (where: string) => {
      const s = phone.screen();
      assert.equal((s.cut ?? []).filter((part) => part === 'title' || part.startsWith('key')), [], `${language.code} ${where}: title and soft keys whole: ${JSON.stringify(s)}`);
      checkScreen(phone, s, `${language.code} ${where}`);
      return s;
    };
    try {
      setLanguage(language);
      whole('idle, logged out');
      await phone.press('soft1');
      await phone.pressAll([...USER.split(''), 'down', ...USER_PASSWORD.split('')] as KeyName[]);
      await phone.press('soft1');
      await until(phone, () => phone.screen().id === 'idle', 'the login');
      const idle = whole('idle, logged in');
      assert.is(idle.softKeys.filter((k) => k).length, 4, JSON.stringify(idle.softKeys));
      const call = phone.farEnd.ring('4711', 'Ada Lovelace');
      await phone.settle();
      const incoming = whole('incoming call');
      assert.is(incoming.softKeys.filter((k) => k).length, 3, JSON.stringify(incoming.softKeys));
      phone.farEnd.hangup(call);
      await phone.settle();
      assert.is(phone.screen().id, 'idle', JSON.stringify(phone.screen()));
      await phone.press('soft4');
      await openEntry(phone, tLabel('menu.', 'Contacts'));
      await openEntry(phone, tLabel('menu.', 'Local Directory'));
      const directory = whole('local directory');
      assert.match(directory.title, /\d+\/\d+/, `the count is shown: ${JSON.stringify(directory)}`);
      // The fullest title the desk-99 shows (99 of 99 contacts) fits beside the clock too.
      const font = layoutFor(geometry).font;
      const fullest = t('directory.localTitle.short', { count: 99, size: 99 });
      assert.ok(font.measure(fullest) + font.measure(directory.status ?? '') + font.width <= geometry.width, fullest);
    } finally {
      setLanguage(LANGUAGES[0]);
      phone.dispose();
      folder.remove();
    }
  });
}

test.run();
