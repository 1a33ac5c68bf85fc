/**
 * Issue 13 points 1, 2 and 10 on both boards (QuickJS): every variant of
 * Settings > Advanced > Administration Settings > Reset to Defaults asks for
 * the admin password and "Are you sure?", writes its audit line, reboots,
 * and the boot completes it; the Basic entries follow their parameters;
 * Restrict Personal Data Upload persists, shows in Status and stops uploads.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RESET_TO_DEFAULTS_MENU, resetVariant } from '../../firmware/reset/reset-variants';
import { BOARDS, bootPhone } from '../helpers/sim';
import { bootOn, profileFolder, until } from '../login/login-fixture';
import { logLines, openSettings, resetByMenu, toIdle } from './reset-fixture';

for (const board of BOARDS) {
  test(`${board}: every Reset to Defaults variant runs from the keypad: admin password, Are you sure?, audit line, reboot, completed at boot`, async () => {
    const folder = profileFolder({ 'prov.login.enabled': '0' });
    const phone = await bootOn(folder, { board });
    try {
      for (const id of RESET_TO_DEFAULTS_MENU) {
        const label = resetVariant(id)!.label;
        const boots = phone.log().filter((l) => l.includes('boot: firmware')).length;
        await resetByMenu(phone, label);
        await until(phone, () => logLines(phone, new RegExp(`reset: ${label} done`)).length > 0, `${label} completed`);
        assert.equal(logLines(phone, new RegExp(`reset: ${label} requested by keypad`)).length, 1, `${label}: audit line`);
        assert.is(phone.log().filter((l) => l.includes('boot: firmware')).length, boots + 1, `${label}: one reboot`);
        assert.equal(phone.lastBootReason(), 'reboot');
        assert.equal(phone.screen().id === 'idle' || phone.screen().id === 'wizard', true, `${label}: back to idle or the wizard: ${JSON.stringify(phone.screen())}`);
        await toIdle(phone);
      }
    } finally {
      phone.dispose();
      folder.remove();
    }
  });
}

for (const board of BOARDS) {
  test(`${board}: the Basic entries run too: Clear Personal Information, and Reset to Factory with up.basicSettings.factoryResetEnabled=1`, async () => {
    const folder = profileFolder({ 'prov.login.enabled': '0', 'up.basicSettings.factoryResetEnabled': '1' });
    const phone = await bootOn(folder, { board });
    try {
      for (const label of ['Clear Personal Information', 'Reset to Factory']) {
        await openSettings(phone, ['Basic', label]);
        assert.ok(phone.screen().lines.includes('Are you sure?'), JSON.stringify(phone.screen()));
        await phone.press('soft1');
        await until(phone, () => logLines(phone, new RegExp(`reset: ${label} done`)).length === 1, `${label} completed`);
        await toIdle(phone);
        if (label === 'Reset to Factory') continue;
        // Clear Personal Information of the phone's own data deletes the phone's uploaded files on the server.
        assert.ok(logLines(phone, /reset: 0004f2[0-9a-f]+-calls\.xml (deleted|not deleted) on the provisioning server/).length === 1);
      }
    } finally {
      phone.dispose();
      folder.remove();
    }
  });
}

test('No at "Are you sure?" resets nothing', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  const phone = await bootOn(folder);
  try {
    await openSettings(phone, ['Advanced', 'Administration Settings', 'Reset to Defaults', 'Reset to Factory']);
    assert.ok(phone.screen().lines.includes('Are you sure?'));
    await phone.press('soft4');
    assert.equal(phone.screen().title, 'Reset to Defaults');
    assert.equal(logLines(phone, /reset: .* requested/), []);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('Basic: Reset to Factory only with up.basicSettings.factoryResetEnabled=1; Clear Personal Information and Restrict Personal Data Upload follow their feature parameters', async () => {
  const basic = async (site: Record<string, string>) => {
    const folder = profileFolder({ 'prov.login.enabled': '0', ...site });
    const phone = await bootOn(folder);
    try {
      await openSettings(phone, ['Basic']);
      return phone.screen().lines.map((l) => l.replace(/^\d+\. /, '').replace(/ >$/, ''));
    } finally {
      phone.dispose();
      folder.remove();
    }
  };
  const defaults = await basic({});
  assert.not.ok(defaults.includes('Reset to Factory'), defaults.join('|'));
  assert.ok(defaults.includes('Clear Personal Information'));
  assert.ok(defaults.includes('Restrict Personal Data Upload'));
  const flipped = await basic({ 'up.basicSettings.factoryResetEnabled': '1', 'feature.clearPerInfoMenu.enabled': '0', 'feature.restrictPerDataUploadMenu.enabled': '0' });
  assert.ok(flipped.includes('Reset to Factory'), flipped.join('|'));
  assert.not.ok(flipped.includes('Clear Personal Information'));
  assert.not.ok(flipped.includes('Restrict Personal Data Upload'));
});

test('Restrict Personal Data Upload: kept across a reboot, shown in Status, and call lists, directory and logs are no longer uploaded', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0', 'feature.uploadDir.enabled': '1' });
  const phone = await bootOn(folder);
  try {
    await openSettings(phone, ['Basic', 'Restrict Personal Data Upload']);
    assert.ok(phone.screen().lines.includes('Restricted: Off'));
    await phone.press('soft1');
    assert.ok(phone.screen().lines.includes('Restricted: On'));
    const from = phone.log().length;
    await phone.reboot('test');
    await until(phone, () => phone.log().some((l) => /provisioned from/.test(l)), 'provisioned again');
    await openSettings(phone, ['Status']);
    assert.ok(phone.screen().lines.includes('Personal data upload: restricted'), phone.screen().lines.join('|'));
    // A call makes the phone upload its call list; the restriction stops it (and the log upload).
    await toIdle(phone);
    const id = phone.farEnd.ring('5550111', 'Quentin');
    await phone.advance(100);
    phone.farEnd.hangup(id);
    await phone.advance(10 * 60 * 1000);
    assert.ok(logLines(phone, /not uploading 0004f2a1b2c3-calls\.xml: Restrict Personal Data Upload is on/).length > 0, phone.log().slice(-30).join('\n'));
    assert.equal(fs.existsSync(path.join(folder.dir, 'calls', '0004f2a1b2c3-calls.xml')), false, 'no call list on the server');
    assert.equal(phone.log().slice(from).filter((l) => /uploaded 0004f2a1b2c3-(calls\.xml|directory\.xml|app\.log|boot\.log)/.test(l)), []);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('the out-of-box wizard: shown on a new phone\'s first boot over idle, Finish keeps it away across reboots, Reset to Defaults > Out-of-Box Wizard brings it back', async () => {
  // A new phone: nothing staged (no provisioning server yet), so the wizard asks.
  const phone = await bootPhone({ outOfBox: true, provisioningDir: null });
  try {
    assert.is(phone.screen().id, 'wizard', JSON.stringify(phone.screen()));
    assert.ok(phone.screen().lines.some((l) => l.includes('Provisioning Server')));
    await phone.press('1');
    assert.is(phone.screen().title, 'Provisioning Server', JSON.stringify(phone.screen()));
    await phone.press('soft4');
    assert.is(phone.screen().id, 'wizard');
    await phone.press('back');
    assert.is(phone.screen().id, 'wizard', 'Back does not skip first setup');
    await phone.press('soft4'); // Finish
    assert.is(phone.screen().id, 'idle');
    await phone.reboot('test');
    assert.is(phone.screen().id, 'idle', 'finished: not shown again');
    await resetByMenu(phone, 'Out-of-Box Wizard');
    await until(phone, () => logLines(phone, /reset: Out-of-Box Wizard done/).length === 1, 'the wizard reset');
    assert.is(phone.screen().id, 'wizard', 'shown again after the Out-of-Box Wizard reset');
  } finally {
    phone.dispose();
  }
});

test('a phone that already has a provisioning server (updated from a firmware without the wizard) is not asked again', async () => {
  const phone = await bootPhone({ outOfBox: true, provisioningDir: null, deviceSettings: { 'device.prov.serverName': 'http://prov.example.invalid/' } });
  try {
    assert.is(phone.screen().id, 'idle', JSON.stringify(phone.screen()));
  } finally {
    phone.dispose();
  }
});

test('Reset User Data deletes the uploaded call list and directory on the provisioning server too', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  folder.write('calls/0004f2a1b2c3-calls.xml', '<callList/>');
  folder.write('contacts/0004f2a1b2c3-directory.xml', '<directory><item_list/></directory>');
  const phone = await bootOn(folder);
  try {
    await resetByMenu(phone, 'Reset User Data');
    await until(phone, () => logLines(phone, /reset: Reset User Data done/).length === 1, 'the reset');
    assert.is(folder.read('calls/0004f2a1b2c3-calls.xml'), null, 'call list deleted on the server');
    assert.is(folder.read('contacts/0004f2a1b2c3-directory.xml'), null, 'directory deleted on the server');
    assert.is(logLines(phone, /reset: 0004f2a1b2c3-(calls|directory)\.xml deleted on the provisioning server/).length, 2);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test.run();
