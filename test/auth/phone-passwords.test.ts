/**
 * Passwords on the simulated phone (QuickJS): the prompts, the forced change
 * of the default admin password before Advanced opens, digit echo from
 * configuration, the lockout on screen and in the log, and the admin
 * password set by configuration.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import { bootOn, logLines, profileFolder, until } from '../login/login-fixture';

async function openAdvanced(phone: Phone): Promise<void> {
  if (phone.screen().id !== 'idle') await phone.press('home');
  await phone.press('soft4'); // Menu
  await phone.press('1'); // Settings
  const advanced = phone.screen().lines.findIndex((l) => l.includes('Advanced'));
  await phone.press(String(advanced + 1) as never);
}

async function typeAndEnter(phone: Phone, digits: string): Promise<void> {
  await phone.pressAll([...digits.split(''), 'soft1'] as never);
}

test('the default admin password opens nothing until a new one is set; the default is refused as the new one', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0', 'sec.pwd.length.admin': '4' });
  const phone = await bootOn(folder);
  try {
    await openAdvanced(phone);
    assert.equal(phone.screen().id, 'password');
    await typeAndEnter(phone, '456');
    assert.equal(phone.screen().title, 'Change Admin Password');
    assert.ok(phone.screen().lines.includes('Default password: set a new one'));
    await typeAndEnter(phone, '456');
    await typeAndEnter(phone, '456');
    assert.ok(phone.screen().lines.includes('Too short: at least 4 characters'), phone.screen().lines.join('|'));
    await typeAndEnter(phone, '4567');
    await typeAndEnter(phone, '4567');
    assert.equal(phone.screen().lines, ['Password changed']);
    await phone.press('soft1');
    assert.equal(phone.screen().title, 'Advanced');
    assert.ok(phone.screen().lines.some((l) => l.includes('Administration Settings')));
    await phone.press('home');
    await openAdvanced(phone);
    await typeAndEnter(phone, '4567');
    assert.equal(phone.screen().title, 'Advanced', 'the new password opens Advanced directly');
    assert.equal(logLines(phone, /\|auth\|5\|.*admin password changed on the phone/).length, 1);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('the user password at the admin prompt shows the limited set', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  const phone = await bootOn(folder);
  try {
    await openAdvanced(phone);
    await typeAndEnter(phone, '123');
    assert.equal(phone.screen().title, 'Advanced');
    assert.not.ok(phone.screen().lines.some((l) => l.includes('Administration Settings')));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('up.echoPasswordDigits from configuration: 1 shows the last digit briefly, 0 only asterisks', async () => {
  for (const [echo, expected] of [['1', 'Password: **7_'], ['0', 'Password: ***_']]) {
    const folder = profileFolder({ 'prov.login.enabled': '0', 'up.echoPasswordDigits': echo });
    const phone = await bootOn(folder);
    try {
      await openAdvanced(phone);
      await phone.pressAll(['4', '5', '7']);
      assert.equal(phone.screen().lines[1], expected, `echo ${echo}`);
      await phone.advance(1500);
      assert.equal(phone.screen().lines[1], 'Password: ***_');
    } finally {
      phone.dispose();
      folder.remove();
    }
  }
});

test('brute force at the admin prompt: the prompt locks, the lock is logged, and lasts across a power cut', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  const phone = await bootOn(folder);
  try {
    await openAdvanced(phone);
    for (let i = 0; i < 5; i++) {
      await typeAndEnter(phone, '999');
      await phone.advance(10_000);
    }
    assert.ok(phone.screen().lines.includes('Locked for 5 min'), phone.screen().lines.join('|'));
    assert.equal(logLines(phone, /\|auth\|3\|.*login attempt: menu password for "Advanced" by admin prompt: failure/).length, 5);
    assert.equal(logLines(phone, /\|auth\|5\|.*password prompt locked for 5 min after 5 failed attempts/).length, 1);
    phone.cutPower();
    await phone.powerOn();
    await phone.settle();
    await openAdvanced(phone);
    assert.match(phone.screen().lines.join('|'), /Locked: try again in 5 min/);
    await typeAndEnter(phone, '123');
    assert.equal(phone.screen().id, 'password', 'even the right password waits');
    await phone.advance(5 * 60_000);
    await typeAndEnter(phone, '123');
    assert.equal(phone.screen().title, 'Advanced');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('device.auth.localAdminPassword from a config file: applied with .set=1 only', async () => {
  for (const set of ['0', '1']) {
    const folder = profileFolder({ 'prov.login.enabled': '0', 'device.auth.localAdminPassword': '80808', 'device.auth.localAdminPassword.set': set });
    const phone = await bootOn(folder);
    try {
      await openAdvanced(phone);
      await typeAndEnter(phone, '80808');
      if (set === '1') assert.equal(phone.screen().title, 'Advanced');
      else assert.ok(phone.screen().lines.includes('Incorrect password'), phone.screen().lines.join('|'));
    } finally {
      phone.dispose();
      folder.remove();
    }
  }
});

test('Settings > Basic > Change User Password changes the phone\'s user password (no profile user logged in)', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  const phone = await bootOn(folder);
  try {
    await phone.pressAll(['soft4', '1', '1']); // Menu > Settings > Basic
    const entry = phone.screen().lines.findIndex((l) => l.includes('Change User Password'));
    assert.ok(entry >= 0, phone.screen().lines.join('|'));
    await phone.press(String(entry + 1) as never);
    await typeAndEnter(phone, '999');
    assert.ok(phone.screen().lines.includes('Incorrect password'));
    await typeAndEnter(phone, '123');
    await typeAndEnter(phone, '5555');
    await typeAndEnter(phone, '5555');
    assert.equal(phone.screen().lines, ['Password changed']);
    await phone.press('home');
    await openAdvanced(phone);
    await typeAndEnter(phone, '123');
    assert.ok(phone.screen().lines.includes('Incorrect password'), 'the old user password is gone');
    await typeAndEnter(phone, '5555');
    assert.equal(phone.screen().title, 'Advanced');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('Skype for Business Base Profile: the phone asks for the default admin password to be changed', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0', 'device.baseProfile': 'SkypeForBusiness', 'device.baseProfile.set': '1' });
  const phone = await bootOn(folder);
  try {
    // device.baseProfile needs a reboot: the phone reboots after the first cycle and comes back with it.
    await until(phone, () => phone.screen().title === 'Admin Password', 'the prompt');
    assert.equal(phone.screen().lines, ['Change the default admin password:', 'Settings > Advanced']);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('Generic Base Profile: no such prompt', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  const phone = await bootOn(folder);
  try {
    assert.equal(phone.screen().id, 'idle');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test.run();
