/**
 * Issue 7 point 3 for the directory: a logged-in user's personal directory
 * (`<user>-directory.xml` downloaded at login, plus their edits) is erased
 * from flash at logout (class `directory` of that user: key destroyed,
 * records gone), the phone's own directory stays, and the same user's next
 * login downloads their file again. QuickJS phone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import { inspectImage } from '../../sim/cli/commands/inspect';
import type { Phone } from '../../sim/phone';
import { directoryXml } from '../directory/directory-fixture';
import { bootOn, idleNotice, loginAt, logLines, profileFolder, until, USER, USER_PASSWORD } from './login-fixture';

const MAC = '0004f2a1b2c3';
/** In the user's `<user>-directory.xml` on the server. */
const USER_CONTACT = 'Zebulon Quixote  5550917';
/** Added on the phone while the user is logged in (their edit). */
const USER_EDIT = 'bo  5558642';
/** The phone's own directory (`<MAC>-directory.xml`). */
const PHONE_CONTACT = 'Phoebe Frontdesk  5550100';
/** Added on the phone before anyone logs in (the phone's own local store only). */
const PHONE_EDIT = 'ad  5553690';

async function openMenuEntry(phone: Phone, label: string): Promise<void> {
  const line = phone.screen().lines.find((l) => l.includes(label));
  assert.ok(line, `menu entry ${label} in ${JSON.stringify(phone.screen())}`);
  await phone.press(line!.split('.')[0] as KeyName);
}

/** Contacts > Local Directory: the rows shown (a handful of contacts: one page). */
async function directoryRows(phone: Phone): Promise<string[]> {
  await phone.press('home');
  if (phone.screen().id !== 'menu') await phone.press('home');
  await openMenuEntry(phone, 'Contacts');
  await openMenuEntry(phone, 'Local Directory');
  assert.is(phone.screen().id, 'directory');
  return phone.screen().lines.slice(1);
}

/** From the open local directory: Add +, a first name by multi-tap (one letter per key group), a number. */
async function addContact(phone: Phone, firstName: KeyName[][], number: string): Promise<void> {
  await phone.press('soft2');
  assert.is(phone.screen().id, 'contact-edit');
  for (const letter of firstName) {
    await phone.pressAll(letter);
    await phone.advance(1100);
  }
  await phone.pressAll(['down', 'down']);
  await phone.pressAll(number.split('') as KeyName[]);
  await phone.press('soft1');
  assert.is(phone.screen().id, 'directory', JSON.stringify(phone.screen()));
}

async function backToIdle(phone: Phone): Promise<void> {
  await phone.press('home');
  if (phone.screen().id !== 'idle') await phone.press('home');
  assert.is(phone.screen().id, 'idle');
}

/** Directory records on the flash store as `phone inspect` reports them (live and stale). */
function directoryRecords(phone: Phone): { user: string; path: string; live: boolean | null }[] {
  const fsPartition = inspectImage(phone.dumpFlash(), phone.profile).partitions.find((p) => p.name === 'fs');
  assert.ok(fsPartition, 'fs partition inspected');
  return fsPartition!.records.filter((r) => r.cls === 'directory');
}

/** Key names in the HAL keystore (saved beside a flash image). */
function keyNames(phone: Phone, scratch: string): string[] {
  const image = path.join(scratch, 'flash.bin');
  phone.saveFlash(image);
  return Object.keys(JSON.parse(fs.readFileSync(image + '.keys.json', 'utf8')));
}

test('logout erases the user\'s directory from flash (key and records); the phone\'s own directory stays; the next login downloads it again', async () => {
  const folder = profileFolder({});
  folder.write(`contacts/${MAC}-directory.xml`, directoryXml([{ fn: 'Phoebe', ln: 'Frontdesk', ct: '5550100' }]));
  folder.write(`contacts/${USER}-directory.xml`, directoryXml([{ fn: 'Zebulon', ln: 'Quixote', ct: '5550917' }]));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'logout-dir-'));
  const phone = await bootOn(folder);
  const userKey = `store.directory.u.${USER}`;
  try {
    await until(phone, () => logLines(phone, /\|dir\|.*merged 1 local/).length > 0, 'the phone directory merged');
    // The phone's own contacts: from <MAC>-directory.xml and one added locally before any login.
    await directoryRows(phone);
    await addContact(phone, [['2'], ['3']], '5553690');
    assert.equal((await directoryRows(phone)).sort(), [PHONE_EDIT, PHONE_CONTACT].sort());
    await backToIdle(phone);

    // Logged in: the user's file and their edit, nothing of the phone's.
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    await until(phone, () => logLines(phone, new RegExp(`${USER}-directory\\.xml downloaded as the local directory`)).length === 1, 'the user directory downloaded');
    await phone.advance(0);
    await directoryRows(phone);
    await addContact(phone, [['2', '2'], ['6', '6', '6']], '5558642');
    assert.equal((await directoryRows(phone)).sort(), [USER_EDIT, USER_CONTACT].sort());
    await backToIdle(phone);
    const userRecords = directoryRecords(phone).filter((r) => r.user === USER && r.live);
    assert.ok(userRecords.length > 0, 'the user\'s directory is on flash while logged in');
    assert.ok(keyNames(phone, scratch).includes(userKey), 'the user\'s directory key exists while logged in');

    await phone.press('soft1'); // Logout
    assert.equal(idleNotice(phone), '');
    assert.is(phone.screen().softKeys[0], 'Login');

    // The UI: the phone's own directory again, nothing of the user's.
    const after = await directoryRows(phone);
    assert.equal(after.sort(), [PHONE_EDIT, PHONE_CONTACT].sort(), 'the phone directory after logout');
    await backToIdle(phone);
    // The flash: no record of the user's directory, live or stale; the key is destroyed.
    const records = directoryRecords(phone);
    assert.equal(records.filter((r) => r.user === USER), [], 'no directory record of the user left on flash');
    assert.ok(records.some((r) => r.user === '' && r.live && r.path === 'dir/phone/local'), 'the phone\'s own local store is still live');
    const keys = keyNames(phone, scratch);
    assert.not.ok(keys.includes(userKey), 'the user\'s directory key is destroyed');
    assert.ok(keys.includes('store.directory'), 'the phone\'s directory key stays');
    assert.ok(logLines(phone, new RegExp(`\\|login\\|.*${USER}: directory erased`)).length === 1, 'the erase is logged');
    // The user's edit went to the server before their data left the phone.
    await until(phone, () => (folder.read(`contacts/${USER}-directory.xml`) ?? '').includes('5558642'), 'the user\'s edit uploaded');

    // The same user again: their file (with the edit) downloaded afresh into an empty store.
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    await until(phone, () => logLines(phone, new RegExp(`${USER}-directory\\.xml downloaded as the local directory \\(2 contacts\\)`)).length === 1, 'the user directory downloaded again');
    await phone.advance(0);
    assert.equal((await directoryRows(phone)).sort(), [USER_EDIT, USER_CONTACT].sort(), 'the user directory after the second login');
    await backToIdle(phone);
    assert.ok(logLines(phone, /\|dir\|[3-6]\|/).length === 0, `no directory warning or error:\n${logLines(phone, /\|dir\|[3-6]\|/).join('\n')}`);
  } finally {
    phone.dispose();
    folder.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test.run();
