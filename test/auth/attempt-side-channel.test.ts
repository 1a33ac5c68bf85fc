/**
 * Issue 12 point 5: a right and a wrong password cost the same flash
 * operations (kind, partition, offset, size, in order) until the outcome is
 * on flash, so watching or cutting the power tells nothing; and the audit
 * log records every attempt with its outcome, including one a power cut
 * interrupted. QuickJS phone, each pair from the same flash image.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlashOperation } from '../../sim/devices/flash';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';
import { bootOn, logLines, profileFolder, provisioned, until, USER, USER_PASSWORD, type ProfileFolder } from '../login/login-fixture';
import { openAdvanced, openChangeUserPassword, typeDigits } from './phone-prompts';

interface Attempt {
  ops: FlashOperation[];
  screen: string;
  audit: string[];
}

async function withImage(site: Record<string, string>, body: (folder: ProfileFolder, image: string) => Promise<void>): Promise<void> {
  const folder = profileFolder(site);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'attempt-ops-'));
  const image = path.join(scratch, 'base.img');
  try {
    const phone = await bootOn(folder);
    try {
      await phone.advance(11_000);
      phone.saveFlash(image);
    } finally {
      phone.dispose();
    }
    await body(folder, image);
  } finally {
    folder.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** From the saved image: open the prompt, type `password`, and record the flash operations from Enter to the answer. */
async function attempt(folder: ProfileFolder, image: string, open: (p: Phone) => Promise<void>, type: (p: Phone) => Promise<void>): Promise<Attempt> {
  const phone = await bootPhone({ flashImage: image, provisioningDir: folder.dir });
  try {
    await until(phone, () => provisioned(phone), 'provisioning');
    await phone.advance(11_000);
    await open(phone);
    await type(phone);
    const ops: FlashOperation[] = [];
    const stop = phone.devices.flash.onOperation((op) => ops.push(op));
    const auditBefore = logLines(phone, /\|auth\|/).length;
    await phone.press('soft1');
    await until(phone, () => !phone.screen().lines.includes('Logging in...'), 'the answer');
    stop();
    return { ops, screen: `${phone.screen().title} ${phone.screen().lines.join('|')}`, audit: logLines(phone, /\|auth\|/).slice(auditBefore) };
  } finally {
    phone.dispose();
  }
}

const show = (ops: FlashOperation[]) => ops.map((o) => `${o.kind} ${o.partition}@${o.offset}+${o.length}`);

test('admin and user password at the admin prompt, and a wrong one: the same flash operations; each attempt audited with its outcome', async () => {
  await withImage({ 'prov.login.enabled': '0', 'device.auth.localAdminPassword': '80808', 'device.auth.localAdminPassword.set': '1' }, async (folder, image) => {
    const admin = await attempt(folder, image, openAdvanced, (p) => typeDigits(p, '80808'));
    const user = await attempt(folder, image, openAdvanced, (p) => typeDigits(p, '123'));
    const wrong = await attempt(folder, image, openAdvanced, (p) => typeDigits(p, '80809'));
    assert.match(admin.screen, /Administration Settings/, 'the admin password opened Advanced');
    assert.match(user.screen, /^Advanced /, 'the user password opened the limited set');
    assert.match(wrong.screen, /Incorrect password/);
    assert.ok(wrong.ops.length >= 2, `the attempt is written to flash (${wrong.ops.length} operations)`);
    assert.equal(show(admin.ops), show(wrong.ops), 'right (admin) and wrong: same operations');
    assert.equal(show(user.ops), show(wrong.ops), 'right (user) and wrong: same operations');
    assert.ok(wrong.ops.every((o) => o.partition === 'nvram' && o.kind === 'program'), show(wrong.ops).join(', '));
    assert.match(admin.audit.join('\n'), /login attempt: menu password for "Advanced" by admin: success/);
    assert.match(user.audit.join('\n'), /login attempt: menu password for "Advanced" by user: success \(user password at a admin prompt\)/);
    assert.match(wrong.audit.join('\n'), /login attempt: menu password for "Advanced" by admin prompt: failure \(wrong password, 1 in a row\)/);
  });
});

test('the current user password (Change User Password): right and wrong, the same flash operations', async () => {
  await withImage({ 'prov.login.enabled': '0' }, async (folder, image) => {
    const right = await attempt(folder, image, openChangeUserPassword, (p) => typeDigits(p, '123'));
    const wrong = await attempt(folder, image, openChangeUserPassword, (p) => typeDigits(p, '124'));
    assert.match(right.screen, /New password/);
    assert.match(wrong.screen, /Incorrect password/);
    assert.equal(show(right.ops), show(wrong.ops));
    assert.match(right.audit.join('\n'), /current password for "Change User Password" by user: success/);
    assert.match(wrong.audit.join('\n'), /current password for "Change User Password" by user: failure/);
  });
});

test('user login: right and wrong cost the same flash operations until the outcome is recorded; then only the right one logs in', async () => {
  await withImage({}, async (folder, image) => {
    const open = async (p: Phone) => { await p.press('soft1'); };
    const type = (password: string) => (p: Phone) => p.pressAll([...USER.split(''), 'down', ...password.split('')] as never);
    const right = await attempt(folder, image, open, type(USER_PASSWORD));
    const wrong = await attempt(folder, image, open, type('1357'));
    assert.match(right.screen, new RegExp(`User: ${USER}`));
    assert.match(wrong.screen, /Incorrect user ID or password/);
    // The pre-record and the resolving record: identical. What follows a success (the session, the user's files) comes after.
    assert.ok(wrong.ops.length >= 2);
    assert.equal(show(right.ops.slice(0, wrong.ops.length)), show(wrong.ops));
    assert.equal(show(right.ops.filter((o) => o.partition === 'nvram')), show(wrong.ops), 'the attempt records are the only nvram writes');
    assert.match(right.audit.join('\n'), new RegExp(`phone login for "Login" by ${USER}: success`));
    assert.match(wrong.audit.join('\n'), new RegExp(`phone login for "Login" by ${USER}: failure \\(wrong password, 1 in a row\\)`));
  });
});

test('an attempt cut short by a power loss after its pre-record is audited at the next boot as a failure', async () => {
  await withImage({ 'prov.login.enabled': '0' }, async (folder, image) => {
    const phone = await bootPhone({ flashImage: image, provisioningDir: folder.dir });
    try {
      await until(phone, () => provisioned(phone), 'provisioning');
      await openAdvanced(phone);
      await typeDigits(phone, '123'); // the right (user) password
      phone.cutPower(3); // the first program of the resolving record: the pre-record is committed
      await phone.press('soft1');
      assert.not.ok(phone.devices.flash.powered);
      await phone.powerOn();
      assert.equal(logLines(phone, /\|auth\|3\|.*login attempt: menu password for "password prompt" by unknown: failure \(interrupted by a restart before its outcome was recorded: counted as failed, 1 in a row\)/).length, 1, phone.log().filter((l) => l.includes('|auth|')).join('\n'));
      await phone.reboot();
      assert.equal(logLines(phone, /interrupted by a restart/).length, 1, 'reported once');
    } finally {
      phone.dispose();
    }
  });
});

test.run();
