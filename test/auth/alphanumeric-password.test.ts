/**
 * Passwords with letters and symbols on the simulated phone (QuickJS): a
 * provisioned admin password like "Ab3$x!" typed on the keypad by multi-tap
 * opens the admin menus; the mode indicator in the status bar; echo on and
 * off (`up.echoPasswordDigits`).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import type { KeyName } from '../../hal/contract';
import { keypadSteps } from '../helpers/keypad-text';
import { bootOn, profileFolder } from '../login/login-fixture';
import { openAdvanced } from './phone-prompts';

const ADMIN = 'Ab3$x!';

/** Types `text` into the password prompt (it starts in 123 mode; soft key 3 is the mode key), recording what the screen shows. */
async function typePassword(phone: Phone, text: string): Promise<string[]> {
  const shown: string[] = [];
  for (const step of keypadSteps(text, '123', 'soft3')) {
    if (typeof step === 'object') await phone.advance(step.pauseMs);
    else await phone.press(step as KeyName);
    shown.push(phone.screen().lines.find((l) => l.startsWith('Password: ')) ?? '');
  }
  return shown;
}

function provisioned(extra: Record<string, string>) {
  return profileFolder({
    'prov.login.enabled': '0',
    'device.auth.localAdminPassword': ADMIN,
    'device.auth.localAdminPassword.set': '1',
    ...extra,
  });
}

test('a provisioned admin password with letters and symbols, typed on the keypad, opens Advanced', async () => {
  const folder = provisioned({});
  const phone = await bootOn(folder);
  try {
    await openAdvanced(phone);
    assert.is(phone.screen().id, 'password');
    assert.is(phone.screen().status, '123', 'the prompt starts in 123 mode, shown in the status bar');
    assert.is(phone.screen().softKeys[2], 'abc', 'soft key 3 switches to the next mode');
    await phone.press('soft3');
    assert.is(phone.screen().status, 'abc');
    await phone.press('soft3');
    assert.is(phone.screen().status, 'ABC');
    await phone.press('soft3');
    assert.is(phone.screen().status, '123');
    await typePassword(phone, ADMIN);
    await phone.press('soft1');
    assert.is(phone.screen().title, 'Advanced', phone.screen().lines.join('|'));
    assert.ok(phone.screen().lines.some((l) => l.includes('Administration Settings')));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('a wrong case is refused: "ab3$x!" does not open Advanced', async () => {
  const folder = provisioned({});
  const phone = await bootOn(folder);
  try {
    await openAdvanced(phone);
    await typePassword(phone, 'ab3$x!');
    await phone.press('soft1');
    assert.ok(phone.screen().lines.includes('Incorrect password'), phone.screen().lines.join('|'));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('echo on: each character shows briefly, then only asterisks', async () => {
  const folder = provisioned({ 'up.echoPasswordDigits': '1' });
  const phone = await bootOn(folder);
  try {
    await openAdvanced(phone);
    const shown = await typePassword(phone, ADMIN);
    for (const ch of ADMIN) assert.ok(shown.some((l) => l.endsWith(`${ch}_`)), `${ch} echoed: ${shown.join(' | ')}`);
    await phone.advance(1100);
    assert.ok(phone.screen().lines.includes('Password: ******_'), phone.screen().lines.join('|'));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('echo off: no character typed is ever shown, not even the letter being cycled', async () => {
  const folder = provisioned({ 'up.echoPasswordDigits': '0' });
  const phone = await bootOn(folder);
  try {
    await openAdvanced(phone);
    const shown = await typePassword(phone, ADMIN);
    for (const line of shown) assert.match(line, /^Password: \**_$/);
    await phone.press('soft1');
    assert.is(phone.screen().title, 'Advanced', 'still the right password');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test.run();
