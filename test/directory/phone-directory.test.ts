/**
 * The directory on a booted phone (the real bundle, QuickJS and Node):
 * files from the provisioning folder merged, Contacts > Local Directory with
 * multi-tap search, Add + uploading the personal file, read-only and
 * password protection, and auto-reject / auto-divert of callers end to end
 * through the simulator's far end.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import type { Phone } from '../../sim/phone';
import { bootPhone, ENGINES } from '../helpers/sim';
import { directoryXml, people } from './directory-fixture';

const MAC = '0004f2a1b2c3';
const MASTER = '<APPLICATION CONFIG_FILES="site.cfg" CONTACTS_DIRECTORY="" OVERRIDES_DIRECTORY="overrides" CALL_LISTS_DIRECTORY="calls" LOG_FILE_DIRECTORY="logs"/>\n';
const GLOBAL = directoryXml([
  { fn: 'Reception', ct: '100', sd: '1' },
  { fn: 'Alan', ln: 'Turing', ct: '4711' },
  { fn: 'Spam', ln: 'Caller', ct: '666', ar: '1' },
  { fn: 'Boss', ln: 'Bigshot', ct: '777', ar: '1', ad: '1', dc: '2000' },
]);

function provisioningFolder(site: Record<string, string>, extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dir-prov-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), MASTER);
  const attrs = Object.entries(site).map(([k, v]) => `${k}="${v}"`).join(' ');
  fs.writeFileSync(path.join(dir, 'site.cfg'), `<polycomConfig ${attrs}/>\n`);
  fs.writeFileSync(path.join(dir, '000000000000-directory.xml'), GLOBAL);
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

async function openMenuEntry(phone: Phone, label: string): Promise<void> {
  const line = phone.screen().lines.find((l) => l.includes(label));
  assert.ok(line, `menu entry ${label} in ${JSON.stringify(phone.screen().lines)}`);
  await phone.press(line!.split('.')[0] as KeyName);
}

async function openLocalDirectory(phone: Phone): Promise<void> {
  // Home opens the menu from the idle screen, or goes back to idle from elsewhere.
  await phone.press('home');
  if (phone.screen().id !== 'menu') await phone.press('home');
  await openMenuEntry(phone, 'Contacts');
  await openMenuEntry(phone, 'Local Directory');
}

async function bootWith(engine: 'quickjs' | 'node', dir: string): Promise<Phone> {
  const phone = await bootPhone({ board: 'desk-500', engine, provisioningDir: dir });
  await phone.advance(1000);
  await phone.settle();
  return phone;
}

for (const engine of ENGINES) {
  test(`${engine}: merged directory on screen, multi-tap search, Add + uploads the personal file`, async () => {
    const dir = provisioningFolder({}, { [`${MAC}-directory.xml`]: directoryXml([{ fn: 'Ada', ln: 'Lovelace', ct: '4712' }]) });
    const phone = await bootWith(engine, dir);
    try {
      await openLocalDirectory(phone);
      let s = phone.screen();
      assert.is(s.id, 'directory');
      assert.is(s.title, 'Local Directory (5/5)');
      assert.equal(s.lines.slice(1), ['Boss Bigshot  777', 'Spam Caller  666', 'Ada Lovelace  4712', 'Reception  100', 'Alan Turing  4711']);
      // "t" (8 once), pause, "u" (8 twice): Turing.
      await phone.press('8');
      assert.is(phone.screen().lines[0], 'Search: t_');
      await phone.advance(1100);
      await phone.pressAll(['8', '8']);
      s = phone.screen();
      assert.is(s.lines[0], 'Search: tu_');
      assert.equal(s.lines.slice(1), ['Alan Turing  4711']);
      assert.is(s.title, 'Local Directory (1/5)');
      // Add +: first name "Bo" by multi-tap, number 5551234.
      await phone.press('soft2');
      assert.is(phone.screen().id, 'contact-edit');
      await phone.pressAll(['2', '2']);
      await phone.advance(1100);
      await phone.pressAll(['6', '6', '6']);
      await phone.pressAll(['down', 'down']);
      await phone.pressAll(['5', '5', '5', '1', '2', '3', '4']);
      assert.is(phone.screen().lines[0], 'First name: bo');
      await phone.press('soft1');
      s = phone.screen();
      assert.is(s.id, 'directory');
      // The search typed before stays: one match of six contacts.
      assert.is(s.title, 'Local Directory (1/6)');
      await phone.advance(3000);
      await phone.settle();
      const uploaded = fs.readFileSync(path.join(dir, `${MAC}-directory.xml`), 'utf8');
      assert.match(uploaded, '<item><fn>bo</fn><ct>5551234</ct></item>');
      assert.match(uploaded, '<item><fn>Ada</fn><ln>Lovelace</ln><ct>4712</ct></item>');
      assert.not.match(uploaded, 'Turing');
    } finally {
      phone.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('auto-reject and auto-divert (ad beats ar) end to end through the far end; others ring with the directory name', async () => {
  const dir = provisioningFolder({});
  const phone = await bootWith('quickjs', dir);
  try {
    const rejected = phone.farEnd.ring('sip:666@pbx.local', 'Unknown');
    await phone.settle();
    const diverted = phone.farEnd.ring('777', '');
    await phone.settle();
    const events = phone.farEnd.sent();
    assert.ok(events.some((e) => e.type === 'ended' && e.callId === rejected && e.cause === 'rejected'), JSON.stringify(events));
    assert.ok(events.some((e) => e.type === 'forwarded' && e.callId === diverted && e.target === '2000'), JSON.stringify(events));
    const ringing = phone.farEnd.ring('4711', '');
    await phone.settle();
    assert.ok(phone.farEnd.calls().some((c) => c.callId === ringing && c.state === 'ringing'));
    assert.ok(JSON.stringify(phone.screen()).includes('Alan Turing'), JSON.stringify(phone.screen()));
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('read-only directory: no Add +, a message instead; password protection asks for the user password', async () => {
  const dir = provisioningFolder({ 'dir.local.readonly': '1', 'dir.local.passwordProtected': '1' });
  const phone = await bootWith('quickjs', dir);
  try {
    await openLocalDirectory(phone);
    assert.is(phone.screen().id, 'password');
    await phone.pressAll(['9', '9', '9', 'soft1']);
    assert.is(phone.screen().id, 'password');
    await phone.pressAll(['1', '2', '3', 'soft1']);
    const s = phone.screen();
    assert.is(s.id, 'directory');
    assert.is(s.softKeys[1], '');
    await phone.press('soft2');
    assert.equal(phone.screen().lines, ['The directory is read-only']);
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the Directory key opens the local directory from the idle screen', async () => {
  const dir = provisioningFolder({});
  const phone = await bootWith('quickjs', dir);
  try {
    assert.is(phone.screen().id, 'idle');
    await phone.press('directory');
    assert.is(phone.screen().id, 'directory');
    assert.is(phone.screen().title, 'Local Directory (4/4)');
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Contacts > Favorites / Speed Dial lists speed dials in index order; a digit calls', async () => {
  const dir = provisioningFolder({});
  const phone = await bootWith('quickjs', dir);
  try {
    await phone.press('home');
    if (phone.screen().id !== 'menu') await phone.press('home');
    await openMenuEntry(phone, 'Contacts');
    await openMenuEntry(phone, 'Favorites / Speed Dial');
    assert.equal(phone.screen().lines, ['1. Reception  100']);
    await phone.press('1');
    await phone.settle();
    assert.equal(phone.farEnd.calls().filter((c) => c.direction === 'outgoing').map((c) => c.remote), ['100']);
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('desk-99 in QuickJS merges the largest global file it takes (990 entries) within its CPU budget, and boots on it again', async () => {
  const dir = provisioningFolder({});
  fs.writeFileSync(path.join(dir, '000000000000-directory.xml'), directoryXml(people(990)));
  const phone = await bootPhone({ board: 'desk-99', engine: 'quickjs', provisioningDir: dir });
  try {
    await phone.advance(1000);
    await phone.settle();
    assert.ok(phone.log().some((l) => /merged 0 local and 990 global contacts: 990/.test(l)), phone.log().slice(-8).join('\n'));
    assert.not.ok(phone.log().some((l) => /interrupted|budget/i.test(l)));
    await phone.reboot('check');
    await phone.advance(1000);
    await phone.settle();
    await phone.press('directory');
    // desk-99's top row also holds the clock: the title takes its catalog short form there, whole.
    assert.is(phone.screen().id, 'directory');
    assert.is(phone.screen().title, 'Local (990/990)');
    assert.not.ok(phone.screen().cut?.includes('title'), 'the title is not cut');
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('dir.local.UIenabled=0: the local directory is not available from the menu', async () => {
  const dir = provisioningFolder({ 'dir.local.UIenabled': '0' });
  const phone = await bootWith('node', dir);
  try {
    await openLocalDirectory(phone);
    assert.equal(phone.screen().lines, ['The local directory is not available']);
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
