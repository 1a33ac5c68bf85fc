/**
 * resettofactory is told by the reset module, not guessed: Reset to Factory
 * from the keypad erases the analytics class and the configuration, so
 * analytics comes back only once provisioning turns it on again (a reboot
 * later, its switch being reboot-flagged); that boot's event goes out under
 * <MAC>/resettofactory with the variant, once.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MosquittoBroker } from '../servers/mosquitto';
import { resetByMenu } from '../reset/reset-fixture';
import { stageProvisioning } from '../../sim/provisioning/staging';
import { ACCOUNTS, MAC, analyticsParameters, bootProvisioned, provisioningFolder, run, runUntil } from './analytics-phone';

const test = suite('analytics resettofactory');
let broker: MosquittoBroker;

test.before(async () => {
  broker = await MosquittoBroker.start(ACCOUNTS);
});
test.after(async () => {
  await broker?.stop();
});

test('Reset to Factory from the keypad: the next boot with analytics on sends resettofactory with the variant, once', async () => {
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const dir = provisioningFolder(analyticsParameters(broker));
  const phone = await bootProvisioned(dir);
  try {
    await runUntil(phone, () => sub.messages.some((m) => m.topic === `phones/${MAC}/restart`));
    assert.not.ok(sub.messages.some((m) => m.topic.endsWith('/resettofactory')), 'no reset yet');

    await resetByMenu(phone, 'Reset to Factory');
    await runUntil(phone, () => phone.log().some((l) => /reset: Reset to Factory done/.test(l)), 60000);
    await run(phone, 60000);
    assert.not.ok(sub.messages.some((m) => m.topic.endsWith('/resettofactory')), 'analytics is off after the reset: its settings are gone');
    // Staged again, as an admin's staging tool would (the provisioning server went with the device settings): the folder turns analytics on.
    phone.cutPower();
    phone.devices.flash.restorePower();
    stageProvisioning({ provisioningDir: dir }, phone.devices.flash, phone.devices.crypto, phone.devices.net);
    await phone.powerOn();
    await runUntil(phone, () => sub.messages.some((m) => m.topic === `phones/${MAC}/resettofactory`), 300000);
    const event = sub.json().find((m) => m.service === 'resettofactory');
    assert.is(event.data.variant, 'resetToFactory');
    assert.is(event.data.requestedBy, 'keypad');
    assert.match(event.data.requestedAt, /^\d{4}-\d\d-\d\dT/);

    // Told once: a later reboot is an ordinary restart.
    const restarts = sub.messages.filter((m) => m.topic.endsWith('/restart')).length;
    await phone.reboot();
    await runUntil(phone, () => sub.messages.filter((m) => m.topic.endsWith('/restart')).length > restarts || sub.messages.filter((m) => m.topic.endsWith('/reboot')).length > 0, 120000);
    await run(phone, 10000);
    assert.is(sub.messages.filter((m) => m.topic.endsWith('/resettofactory')).length, 1, 'one resettofactory');
    assert.is(phone.faults.length, 0, JSON.stringify(phone.faults));
  } finally {
    sub.close();
    phone.dispose();
  }
});

test.run();
