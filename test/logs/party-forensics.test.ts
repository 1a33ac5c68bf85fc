/**
 * Logs carry no party data by default (issue 12 point 2, docs/logging.md
 * "Redaction"): a QuickJS phone takes a call in and one out, saves a
 * contact, has a user log in and out, and uploads its log. Neither the raw
 * flash, nor the decrypted app.log/boot.log, nor the uploaded log, nor the
 * serial console holds a number, name or user ID of it. With the admin's
 * clear-party window open (`log.clearParty.hours`) they appear and the status
 * screen says so; the window survives a reboot, ends at its absolute time,
 * and then the logs are redacted again and the status screen is plain.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import { boardProfile } from '../../hal/boards';
import { findRawStrings } from '../../sim/forensics/scan';
import { logTextFromFlash } from '../../sim/logs/log-package-from-flash';
import type { Phone } from '../../sim/phone';
import { cfg, bootOn, loginAt, profileFolder, until, USER, USER_PASSWORD } from '../login/login-fixture';

const MAC = '0004f2a1b2c3';
const CALLER = '+4930555123';
const CALLER_NAME = 'Quirinus Oberhuber';
const CALLED = '4989777456';
/** A short extension saved in the directory: too short for any pattern, only the party() mark hides it. */
const CONTACT_NUMBER = '31337';
const SECRETS = [CALLER.slice(1), CALLER_NAME, 'Quirinus', 'Oberhuber', CALLED, CONTACT_NUMBER, USER];

const SITE = { 'log.render.file.upload.period': '600', 'log.render.file.upload.append': '0', 'log.clearParty.hours': '0' };

function appAndBootLog(phone: Phone): string {
  const o = { image: phone.dumpFlash(), profile: boardProfile('desk-500'), crypto: phone.devices.crypto };
  return `${logTextFromFlash(o, 'boot')}\n${logTextFromFlash(o, 'app')}`;
}

function found(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

async function callIn(phone: Phone, from: string, name: string): Promise<void> {
  const id = phone.farEnd.ring(from, name);
  await phone.settle();
  await phone.press('soft1');
  await phone.advance(3000);
  phone.farEnd.hangup(id);
  await phone.settle();
}

async function callOut(phone: Phone, number: string): Promise<void> {
  phone.farEnd.script([{ target: '*', action: 'answer', afterMs: 1000 }]);
  await phone.pressAll(number.split('') as KeyName[]);
  await phone.press('soft2');
  await phone.press('1');
  await phone.press('soft1');
  await phone.advance(4000);
  await phone.press('hook');
  await phone.settle();
}

async function openMenuEntry(phone: Phone, label: string): Promise<void> {
  const line = phone.screen().lines.find((l) => l.includes(label));
  assert.ok(line, `menu entry ${label} in ${JSON.stringify(phone.screen())}`);
  await phone.press(line!.split('.')[0] as KeyName);
}

async function saveContact(phone: Phone, number: string): Promise<void> {
  await phone.press('home');
  if (phone.screen().id !== 'menu') await phone.press('home');
  await openMenuEntry(phone, 'Contacts');
  await openMenuEntry(phone, 'Local Directory');
  await phone.press('soft2');
  assert.is(phone.screen().id, 'contact-edit');
  await phone.pressAll(['2', '2']);
  await phone.advance(1100);
  await phone.pressAll(['down', 'down', ...number.split('')] as KeyName[]);
  await phone.press('soft1');
  assert.is(phone.screen().id, 'directory', JSON.stringify(phone.screen()));
  await phone.press('home');
  if (phone.screen().id !== 'idle') await phone.press('home');
}

async function statusLines(phone: Phone): Promise<string[]> {
  await phone.press('home');
  if (phone.screen().id !== 'menu') await phone.press('home');
  if (phone.screen().id !== 'menu') await phone.press('soft4');
  await openMenuEntry(phone, 'Settings');
  await openMenuEntry(phone, 'Status');
  assert.is(phone.screen().id, 'status');
  const lines = new Set(phone.screen().lines);
  for (let i = 0; i < 10; i++) {
    await phone.press('down');
    phone.screen().lines.forEach((l) => lines.add(l));
  }
  await phone.press('home');
  if (phone.screen().id !== 'idle') await phone.press('home');
  return [...lines];
}

/** Change site.cfg and have the phone provision again (check-sync NOTIFY). */
async function provisionSite(phone: Phone, folder: ReturnType<typeof profileFolder>, site: Record<string, string>): Promise<void> {
  folder.write('site.cfg', cfg({ 'prov.login.enabled': '1', ...site }));
  const before = phone.log().length;
  phone.farEnd.notify('check-sync');
  await until(phone, () => phone.log().slice(before).some((l) => /\|prov\|\d\|\d+\|provisioned from/.test(l)), 'the check-sync cycle');
}

test('no number, name or user ID in raw flash, decrypted logs, upload or console; a clear-party window shows them for its hours only, across a reboot', async () => {
  const folder = profileFolder(SITE);
  const phone = await bootOn(folder);
  try {
    await callIn(phone, CALLER, CALLER_NAME);
    await callOut(phone, CALLED);
    await saveContact(phone, CONTACT_NUMBER);
    assert.is(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    await callIn(phone, CALLER, CALLER_NAME);
    await phone.press('soft1'); // Logout
    await phone.advance(601_000); // the periodic upload
    await until(phone, () => fs.existsSync(path.join(folder.dir, 'logs', `${MAC}-app.log`)), 'the log upload');

    const console = phone.log().join('\n');
    assert.ok(/\|calls\|1\|\d+\|call from \[num:[0-9a-f]{8}\] ended/.test(console), 'the call is logged, redacted');
    assert.ok(/\|dir\|1\|\d+\|directory: saved \[num:[0-9a-f]{8}\]/.test(console), 'the directory save is logged, redacted');
    assert.ok(/\|login\|2\|\d+\|\[user:[0-9a-f]{8}\] logged in/.test(console), console.split('\n').filter((l) => /login/.test(l)).join('\n'));
    assert.equal(found(console), [], 'serial console');
    const logs = appAndBootLog(phone);
    assert.ok(logs.includes('logged out'), 'the decrypted log is the real one');
    assert.equal(found(logs), [], 'decrypted app.log and boot.log');
    const uploaded = fs.readFileSync(path.join(folder.dir, 'logs', `${MAC}-app.log`), 'utf8');
    assert.ok(uploaded.includes('call from [num:'), 'the upload holds the call lines');
    assert.equal(found(uploaded), [], 'uploaded app.log');
    const hits = findRawStrings(phone.dumpFlash(), SECRETS, phone.profile.flash);
    assert.equal(hits.map((h) => `${h.needle} (${h.encoding}) in ${h.partition} block ${h.block}`), [], 'raw flash');

    // The admin opens a 2-hour window.
    const statusBefore = await statusLines(phone);
    assert.not.ok(statusBefore.some((l) => /IN CLEAR/.test(l)), statusBefore.join('|'));
    await provisionSite(phone, folder, { ...SITE, 'log.clearParty.hours': '2' });
    const open = await statusLines(phone);
    assert.ok(open.includes('Party data IN CLEAR') && open.some((l) => /^till 01-01 1\d:\d\d GMT$/.test(l)), open.join('|'));
    await callIn(phone, CALLER, CALLER_NAME);
    assert.ok(phone.log().some((l) => l.includes(`call from ${CALLER} ended`)), 'clear while the window is open');

    // A reboot an hour in: still open, and it still ends two hours after it opened (not two hours after the reboot).
    await phone.advance(3_600_000);
    await phone.reboot('test');
    await until(phone, () => phone.state === 'running', 'the reboot');
    assert.ok((await statusLines(phone)).some((l) => /IN CLEAR/.test(l)), 'still open after the reboot');
    await callIn(phone, CALLER, CALLER_NAME);
    assert.ok(phone.log().slice(-5).some((l) => l.includes(`call from ${CALLER} ended`)), 'still clear after the reboot');
    await phone.advance(3_600_000);
    assert.ok(phone.log().some((l) => /party data redacted again in the logs \(its hours are over\)/.test(l)));
    assert.not.ok((await statusLines(phone)).some((l) => /IN CLEAR/.test(l)), 'the status screen is plain again');
    const mark = phone.log().length;
    await callIn(phone, CALLER, CALLER_NAME);
    await callOut(phone, CALLED);
    assert.equal(found(phone.log().slice(mark).join('\n')), [], 'redacted again');
    assert.ok(phone.log().slice(mark).some((l) => /call from \[num:[0-9a-f]{8}\] ended/.test(l)));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test.run();
