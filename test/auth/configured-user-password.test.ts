/**
 * `device.auth.localUserPassword` from configuration (with `.set=1`): the
 * user password, under the user password policy in force. Before it, a file
 * could raise `sec.pwd.length.user` to 6 but the user password stayed 123.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import { bootOn, profileFolder, until } from '../login/login-fixture';
import { authRig } from './auth-fixture';

test('the policy in force applies: too short or the default is refused (logged without the value), a good one replaces 123', () => {
  const rig = authRig({ 'sec.pwd.length.user': '6' });
  assert.equal(rig.auth.applyConfiguredPassword('user', '2468'), { ok: false, reason: 'too short: at least 6 characters' });
  assert.is(rig.auth.vault.check('123'), 'user', 'refused: 123 stays');
  assert.equal(rig.auth.applyConfiguredPassword('user', '246810'), { ok: true, changed: true });
  assert.is(rig.auth.vault.check('123'), null);
  assert.is(rig.auth.vault.check('246810'), 'user');
  assert.equal(rig.auth.applyConfiguredPassword('user', '246810'), { ok: true, changed: false }, 'already in force');
  assert.ok(rig.lines.some((l) => /user password set from configuration \(device\.auth\.localUserPassword\)/.test(l)));
  assert.not.ok(rig.lines.some((l) => /2468/.test(l)), 'no value in the log');
  const weak = authRig({ 'sec.pwd.length.user': '0' });
  assert.equal(weak.auth.applyConfiguredPassword('user', '123'), { ok: false, reason: 'the default password is not allowed' });
});

async function userPromptAccepts(phone: Phone, password: string): Promise<boolean> {
  if (phone.screen().id !== 'idle') await phone.press('home');
  await phone.pressAll(['soft4', '1', '1']); // Menu > Settings > Basic
  const entry = phone.screen().lines.findIndex((l) => l.includes('Change User Password'));
  await phone.press(String(entry + 1) as never);
  await phone.pressAll([...password.split(''), 'soft1'] as never);
  const refused = phone.screen().lines.includes('Incorrect password');
  await phone.press('home');
  return !refused;
}

test('QuickJS phone: sec.pwd.length.user=6 with device.auth.localUserPassword.set=1 replaces 123, once (a later change at the phone stands across reboots)', async () => {
  const folder = profileFolder({
    'prov.login.enabled': '0', 'sec.pwd.length.user': '6', 'device.set': '1',
    'device.auth.localUserPassword': '864209', 'device.auth.localUserPassword.set': '1',
  });
  const phone = await bootOn(folder);
  try {
    await until(phone, () => phone.log().some((l) => /user password set from configuration/.test(l)), 'the user password from configuration');
    assert.not.ok(await userPromptAccepts(phone, '123'), '123 no longer opens the user prompt');
    assert.ok(await userPromptAccepts(phone, '864209'));
    assert.not.ok(phone.log().some((l) => l.includes('864209')), 'the value is not logged');
    // The phone reboots (sec.pwd.length.user needs it) with the same files: the password is not applied again.
    await until(phone, () => phone.lastBootReason() === 'reboot' && phone.log().filter((l) => /\|prov\|\d\|\d+\|provisioned from/.test(l)).length >= 2, 'the reboot and a cycle after it');
    assert.is(phone.log().filter((l) => /user password set from configuration/.test(l)).length, 1, 'applied once');
    // Changed at the phone afterwards: the same configured value does not undo it at the next boot.
    await phone.pressAll(['soft4', '1', '1']); // Menu > Settings > Basic
    const entry = phone.screen().lines.findIndex((l) => l.includes('Change User Password'));
    await phone.press(String(entry + 1) as never);
    for (const typed of ['864209', '5551234', '5551234']) await phone.pressAll([...typed.split(''), 'soft1'] as never);
    assert.equal(phone.screen().lines, ['Password changed']);
    await phone.press('home');
    await phone.reboot('test: later boot');
    await until(phone, () => phone.log().filter((l) => /\|prov\|\d\|\d+\|provisioned from/.test(l)).length >= 3, 'a cycle after the later boot');
    assert.ok(await userPromptAccepts(phone, '5551234'), 'the password set at the phone stands');
    assert.not.ok(await userPromptAccepts(phone, '864209'));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('QuickJS phone: a configured user password shorter than sec.pwd.length.user is refused, 123 stays', async () => {
  const folder = profileFolder({
    'prov.login.enabled': '0', 'sec.pwd.length.user': '6', 'device.set': '1',
    'device.auth.localUserPassword': '8642', 'device.auth.localUserPassword.set': '1',
  });
  const phone = await bootOn(folder);
  try {
    await until(phone, () => phone.log().some((l) => /device\.auth\.localUserPassword from configuration refused: too short/.test(l)), 'the refusal');
    assert.ok(await userPromptAccepts(phone, '123'));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test.run();
