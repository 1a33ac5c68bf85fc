/**
 * UI languages on the real bundle (QuickJS): `lcl.ml.lang` from the
 * provisioning files, the choice on the phone (Settings > Basic > Language)
 * and in the Out-of-Box Wizard; the screens compared as text models.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import type { KeyName } from '../../hal/contract';
import { bootPhone } from '../helpers/sim';
import { bootOn, profileFolder } from '../login/login-fixture';

const menuKey = (phone: Phone) => phone.screen().softKeys[3];

async function pick(phone: Phone, text: string): Promise<void> {
  const i = phone.screen().lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`no "${text}" in ${phone.screen().lines.join(' | ')}`);
  await phone.press(String(i + 1) as KeyName);
}

test('lcl.ml.lang=Deutsch_Deutschland: idle and the menus in German', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0', 'lcl.ml.lang': 'Deutsch_Deutschland' });
  const phone = await bootOn(folder);
  try {
    assert.is(menuKey(phone), 'Menü');
    assert.equal(phone.screen().softKeys.slice(1, 3), ['Anrufe', 'Verpasst']);
    await phone.press('soft4');
    assert.is(phone.screen().title, 'Menü');
    assert.ok(phone.screen().lines.includes('1. Einstellungen >'), phone.screen().lines.join('|'));
    await phone.press('1');
    assert.ok(phone.screen().lines.some((l) => l.includes('Erweitert')), phone.screen().lines.join('|'));
    assert.equal(phone.screen().softKeys, ['Wählen', '', '', 'Zurück']);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('Settings > Basic > Language switches the screens at once and the choice stays across a reboot', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  const phone = await bootOn(folder);
  try {
    assert.is(menuKey(phone), 'Menu');
    await phone.pressAll(['soft4', '1', '1']);
    await pick(phone, 'Language');
    assert.is(phone.screen().id, 'language');
    assert.ok(phone.screen().lines.includes('1. English (current)'), phone.screen().lines.join('|'));
    await pick(phone, '中文');
    await phone.press('home');
    assert.is(menuKey(phone), '菜单');
    await phone.reboot();
    await phone.settle();
    assert.is(menuKey(phone), '菜单', JSON.stringify(phone.screen()));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('the Out-of-Box Wizard offers the language; choosing German turns the wizard German', async () => {
  const phone = await bootPhone({ outOfBox: true, provisioningDir: null });
  try {
    assert.is(phone.screen().id, 'wizard');
    await pick(phone, 'Language');
    assert.is(phone.screen().id, 'language');
    await pick(phone, 'Deutsch');
    assert.is(phone.screen().id, 'wizard');
    assert.is(phone.screen().title, 'Ersteinrichtung');
    assert.ok(phone.screen().lines.includes('3. Sprache (erledigt)'), phone.screen().lines.join('|'));
    assert.equal(phone.screen().softKeys, ['Wählen', '', '', 'Fertig']);
  } finally {
    phone.dispose();
  }
});

test.run();
