/**
 * Issue 7 point 3 across a power cut: a logout is durable and complete
 * whatever flash operation the power dies at. A user logs in (persistent
 * session, so only the logout can end it) with a directory contact and a
 * call in their lists; then, for every flash operation k of the logout, a
 * copy of that phone loses power at operation k and powers on again. After
 * the boot, either nothing of the logout had committed (the user is still
 * logged in with all their data: only possible at the first few operations,
 * before the logout's own commit) or the user is logged out and no record
 * of their directory, call lists or profile is left on flash (live or
 * stale) and their keys are destroyed. With device analytics on, that
 * includes the user's CDR records (issue 12 point 3), while the phone's own
 * CDR stays. QuickJS phone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS } from '../../hal/boards';
import { exportCallsXml } from '../../firmware/calls/calls-xml';
import { parseClassKeyName } from '../../firmware/storage/data-classes';
import { FileStore } from '../../firmware/storage/file-store';
import { inspectImage } from '../../sim/cli/commands/inspect';
import { describeHit, findRawStrings } from '../../sim/forensics/scan';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import type { Phone } from '../../sim/phone';
import { directoryXml } from '../directory/directory-fixture';
import { bootPhone } from '../helpers/sim';
import { bootOn, idleNotice, loginAt, logLines, profileFolder, provisioned, until, USER, USER_PASSWORD, type ProfileFolder } from './login-fixture';

const MAC = '0004f2a1b2c3';
const PERSONAL_CLASSES = ['directory', 'callLists', 'userProfile', 'cdr'];
const CALLER = '5550444';
/** A call the user receives while logged in (analytics on): in their CDR and lists. */
const USER_CDR_CALLER = { number: '5550777', name: 'Ximena Cdrcaller' };
/** A call the phone receives before anyone logs in: the phone's own CDR, which a logout keeps. */
const PHONE_CDR_CALLER = { number: '5550888', name: 'Ottilie Phonecall' };

/** Records of the user's personal classes in the fs partition, as `phone inspect` reads them (live and stale). */
function userRecords(phone: Phone): { cls: string; path: string; live: boolean | null }[] {
  const part = inspectImage(phone.dumpFlash(), phone.profile).partitions.find((p) => p.name === 'fs');
  assert.ok(part, 'fs partition inspected');
  return part!.records.filter((r) => r.user === USER && PERSONAL_CLASSES.includes(r.cls));
}

/** The phone's own directory (from `<MAC>-directory.xml`) and CDR have live records: the logout took nobody else's data. */
function phoneDataKept(phone: Phone): boolean {
  const part = inspectImage(phone.dumpFlash(), phone.profile).partitions.find((p) => p.name === 'fs');
  return !!part && ['directory', 'cdr'].every((cls) => part.records.some((r) => r.cls === cls && r.user === '' && r.live));
}

/** Raw occurrences of the user's CDR call (number, name) anywhere on flash, live or stale, any encoding. */
function userCallHits(phone: Phone): string[] {
  return findRawStrings(phone.dumpFlash(), [USER_CDR_CALLER.number, USER_CDR_CALLER.name], phone.profile.flash).map(describeHit);
}

/** A missed call from `caller`: rings, the far end gives up. */
async function missedCall(phone: Phone, caller: { number: string; name: string }): Promise<void> {
  const id = phone.farEnd.ring(caller.number, caller.name);
  await phone.advance(1000);
  phone.farEnd.hangup(id);
  await phone.advance(1000);
}

function userKeys(phone: Phone): string[] {
  // Every key generation (a re-key appends `#<generation>`).
  return phone.devices.crypto.listKeys('store.').filter((k) => parseClassKeyName(k)?.user === USER);
}

/** The idle screen after boot: the Login soft key and no "User: …". */
function loggedOut(phone: Phone): boolean {
  const s = phone.screen();
  return s.id === 'idle' && s.softKeys[0] === 'Login' && !idleNotice(phone).includes('User:');
}

function loggedIn(phone: Phone): boolean {
  return idleNotice(phone).includes(`User: ${USER}`) && phone.screen().softKeys[0] === 'Logout';
}

/**
 * The starting point, saved as a flash image: USER logged in (persistent
 * session, so only a logout can end it) with a contact and a call of their
 * own on flash. The caller removes `folder` and `scratch`.
 */
async function loggedInImage(): Promise<{ folder: ProfileFolder; scratch: string; base: string }> {
  // Device analytics with the CDR service on (it takes a reboot to apply), so every call leaves a CDR record.
  const folder = profileFolder({ 'prov.login.persistent': '1', 'feature.da.enabled': '1', 'da.supported.services': 'cdr' });
  folder.write(`contacts/${MAC}-directory.xml`, directoryXml([{ fn: 'Phoebe', ln: 'Frontdesk', ct: '5550100' }]));
  folder.write(`contacts/${USER}-directory.xml`, directoryXml([{ fn: 'Zebulon', ln: 'Quixote', ct: '5550917' }]));
  folder.write(`calls/${USER}-calls.xml`, exportCallsXml([{
    seq: 0, direction: 'In', disposition: 'Normal', line: 1, protocol: 'SIP', startTime: '2026-01-01T09:00:00', duration: 'PT1M',
    count: 1, destination: { address: 'sip:me@pbx', name: '' }, source: { address: CALLER, name: 'Quentin' }, connections: [{ address: CALLER, name: 'Quentin' }],
  }]));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'logout-cut-'));
  const base = path.join(scratch, 'logged-in.img');
  const first = await bootOn(folder);
  try {
    await first.reboot('analytics settings');
    await until(first, () => provisioned(first), 'provisioning after the reboot');
    await missedCall(first, PHONE_CDR_CALLER);
    assert.ok(phoneDataKept(first), 'the phone\'s own call is in the CDR');
    assert.equal(await loginAt(first, USER, USER_PASSWORD), 'ok');
    await until(first, () => logLines(first, new RegExp(`${USER}-directory\\.xml downloaded as the local directory`)).length === 1, 'the user directory downloaded');
    await until(first, () => logLines(first, new RegExp(`${USER}-calls\\.xml: 1 calls imported`)).length === 1, 'the user call list downloaded');
    await missedCall(first, USER_CDR_CALLER);
    assert.ok(userCallHits(first).length === 0, 'the CDR and call list are sealed: no clear text of the call on flash');
    await first.advance(0);
    const held = new Set(userRecords(first).filter((r) => r.live).map((r) => r.cls));
    assert.equal([...held].sort(), [...PERSONAL_CLASSES].sort(), 'the user has live records of every personal class');
    first.saveFlash(base);
  } finally {
    first.dispose();
  }
  return { folder, scratch, base };
}

test('a power cut at any flash operation of a logout: after power-on the user is logged out with nothing of theirs left, or (before the logout commits) still logged in with everything', async () => {
  const started = Date.now();
  const { folder, scratch, base } = await loggedInImage();
  try {
    // How many flash operations the whole logout takes (it runs inside the key press), on an uncut copy.
    let total = 0;
    const uncut = await bootPhone({ flashImage: base, provisioningDir: folder.dir });
    try {
      assert.ok(loggedIn(uncut), `persistent session restored: ${JSON.stringify(uncut.screen())}`);
      const opsBefore = uncut.devices.flash.operationCount();
      await uncut.press('soft1'); // Logout
      total = uncut.devices.flash.operationCount() - opsBefore;
      assert.ok(loggedOut(uncut), 'logged out');
      assert.equal(userRecords(uncut), [], 'nothing of the user left after an uncut logout');
      assert.equal(userKeys(uncut), [], 'no key of the user left after an uncut logout');
      assert.equal(userCallHits(uncut), [], 'no trace of the user\'s call (CDR, call list) in the raw flash');
      assert.ok(phoneDataKept(uncut), 'the phone\'s own CDR and directory stay');
    } finally {
      uncut.dispose();
    }
    assert.ok(total > 10, `the logout takes ${total} flash operations`);

    let before = 0;
    let after = 0;
    for (let k = 1; k <= total; k++) {
      const phone = await bootPhone({ flashImage: base, provisioningDir: folder.dir });
      try {
        assert.ok(loggedIn(phone), `persistent session restored: ${JSON.stringify(phone.screen())}`);
        const keys = userKeys(phone);
        phone.cutPower(k);
        await phone.press('soft1'); // Logout
        assert.not.ok(phone.devices.flash.powered, `the power went at operation ${k} of the logout`);
        await phone.powerOn();
        assert.is(phone.lastBootReason(), 'power-cut');
        if (loggedIn(phone)) {
          // Nothing of the logout committed: the user and every record and key of theirs are as before.
          assert.is(after, 0, `cut at operation ${k}: logged in again after an earlier cut point had logged out`);
          const live = new Set(userRecords(phone).filter((r) => r.live).map((r) => r.cls));
          assert.equal([...live].sort(), [...PERSONAL_CLASSES].sort(), `cut at operation ${k}: still logged in, so all their data is there`);
          assert.equal(userKeys(phone), keys, `cut at operation ${k}: still logged in, so all their keys are there`);
          before++;
          continue;
        }
        assert.ok(loggedOut(phone), `cut at operation ${k}: logged out after power-on, screen ${JSON.stringify(phone.screen())}`);
        assert.equal(userRecords(phone), [], `cut at operation ${k}: no record of the user's personal classes left`);
        assert.equal(userKeys(phone), [], `cut at operation ${k}: the user's keys are destroyed`);
        assert.equal(userCallHits(phone), [], `cut at operation ${k}: no trace of the user's call in the raw flash`);
        assert.ok(phoneDataKept(phone), `cut at operation ${k}: the phone's own directory and CDR are still on flash`);
        after++;
      } finally {
        phone.dispose();
      }
    }
    // Only the logout's first transaction may be cut "before": its records and its Commit (a fresh block at most adds two).
    assert.ok(before <= 5, `${before} cut points left the user logged in`);
    assert.ok(after > 0 && before + after === total, `${after} cut points after the commit`);
    console.log(`logout power cut: ${total} flash operations, every one cut: ${before} before the logout's commit (still logged in, data intact), ${after} after (logged out, nothing left) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    folder.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('belt and braces: personal data of a user who has no session (session gone, data left) is erased at boot', async () => {
  const { folder, scratch, base } = await loggedInImage();
  try {
    // Only the session goes, as when a logout could not journal itself and then lost power.
    const image = new VirtualFlash(BOARDS['desk-500'].flash, fs.readFileSync(base));
    const keystore = Keystore.load(base + '.keys.json');
    const store = FileStore.mount(image.open('fs'), new NodeCryptoEngine(keystore));
    store.delete('login/session');
    fs.writeFileSync(base, image.image());
    keystore.save(base + '.keys.json');

    const phone = await bootPhone({ flashImage: base, provisioningDir: folder.dir });
    try {
      assert.ok(loggedOut(phone), `logged out: ${JSON.stringify(phone.screen())}`);
      assert.ok(logLines(phone, new RegExp(`\\|login\\|.*${USER} is not logged in but has data on the phone: erasing it`)).length === 1, phone.log().slice(-15).join('\n'));
      assert.equal(userRecords(phone), [], 'no record of the user\'s personal classes left');
      assert.equal(userKeys(phone), [], 'the user\'s keys are destroyed');
    } finally {
      phone.dispose();
    }
  } finally {
    folder.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test.run();
