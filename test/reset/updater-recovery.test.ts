/**
 * Issue 13 point 3 (QuickJS, both boards): the board's recovery keys held at
 * power-on run a factory reset before the application starts, also when the
 * fs partition is garbage; `device.system.recoveryType=PreserveAdmin` keeps
 * the admin password. Without the keys, nothing is reset.
 */
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import { planReset } from '../../firmware/reset/reset-plan';
import { RECOVERY_TYPE_SETTING, resetVariant } from '../../firmware/reset/reset-variants';
import { DeviceSettings } from '../../firmware/settings/device-settings';
import { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { seedCanaries } from '../../sim/reset/canaries';
import { declaredClasses, judge } from '../../sim/reset/reset-matrix';
import { BOARDS, bootPhone } from '../helpers/sim';
import { bootOn, profileFolder, until } from '../login/login-fixture';
import { ADMIN_PASSWORD, openEntry, openSettings, toIdle } from './reset-fixture';

const declared = declaredClasses();

/** A seeded phone written to an image file, optionally changed first (host side). */
function seededImage(board: string, change?: (flash: VirtualFlash, crypto: NodeCryptoEngine) => void) {
  const profile = boardProfile(board);
  const seeded = seedCanaries(profile, declared);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recovery-'));
  const file = path.join(dir, 'phone.img');
  const flash = VirtualFlash.fromImage(profile.flash, seeded.image);
  change?.(flash, new NodeCryptoEngine(seeded.keystore));
  fs.writeFileSync(file, flash.image());
  seeded.keystore.save(file + '.keys.json');
  return { seeded, file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

for (const board of BOARDS) {
  const keys = boardProfile(board).recoveryKeys!;
  test(`${board}: holding ${keys.join('+')} at power-on runs Reset to Factory before the application: nothing of the canaries left`, async () => {
    const s = seededImage(board);
    const phone = await bootPhone({ board, flashImage: s.file, provisioningDir: null, engine: 'quickjs' });
    try {
      assert.equal(phone.log().filter((l) => /reset: .* done/.test(l)), [], 'no reset without the keys');
      phone.holdKeysAtBoot(keys);
      await phone.reboot('recovery test');
      assert.ok(phone.log().some((l) => l.includes(`recovery keys ${keys.join('+')} held at power-on`)), phone.log().slice(-20).join('\n'));
      assert.ok(phone.log().some((l) => /reset: Reset to Factory done \(requested by updater key combination\)/.test(l)));
      const v = resetVariant('resetToFactory')!;
      const plan = planReset('resetToFactory', declared);
      const bad = s.seeded.canaries.map((c) => judge(c, v, plan, phone.dumpFlash(), phone.devices.crypto.keystore, s.seeded)).filter((r) => !r.ok);
      assert.equal(bad.map((r) => `${r.what}: ${r.where.join('; ')}`), []);
      // The keys are released: the next reboot resets nothing.
      await phone.reboot('again');
      assert.is(phone.log().filter((l) => /reset: .* done/.test(l)).length, 1);
    } finally {
      phone.dispose();
      s.remove();
    }
  });
}

test('a garbage fs partition: the recovery keys still reset the phone, which then boots normally', async () => {
  const profile = boardProfile('desk-500');
  const s = seededImage('desk-500', (flash) => {
    const fsPart = flash.open('fs');
    const noise = nodeCrypto.randomBytes(fsPart.size);
    for (let b = 0; b < fsPart.size / fsPart.blockSize; b++) fsPart.program(b * fsPart.blockSize, new Uint8Array(noise.subarray(b * fsPart.blockSize, (b + 1) * fsPart.blockSize)));
  });
  const phone = await bootPhone({ board: 'desk-500', flashImage: s.file, provisioningDir: null });
  try {
    phone.holdKeysAtBoot(profile.recoveryKeys!);
    await phone.reboot('recovery over garbage');
    assert.ok(phone.log().some((l) => /reset: Reset to Factory done/.test(l)), phone.log().slice(-20).join('\n'));
    assert.equal(phone.state, 'running');
    assert.equal(phone.screen().id === 'idle' || phone.screen().id === 'wizard', true, JSON.stringify(phone.screen()));
  } finally {
    phone.dispose();
    s.remove();
  }
});

for (const [recoveryType, adminKept] of [['PreserveAdmin', true], ['FullRecovery', false]] as const) {
  test(`device.system.recoveryType=${recoveryType} from configuration: the recovery keys ${adminKept ? 'keep' : 'reset'} the admin password changed on the phone`, async () => {
    const folder = profileFolder({ 'prov.login.enabled': '0', 'device.system.recoveryType': recoveryType, 'device.system.recoveryType.set': '1' });
    const phone = await bootOn(folder);
    try {
      await openSettings(phone, ['Advanced']); // sets the admin password to ADMIN_PASSWORD (forced change of the default)
      assert.is(phone.screen().title, 'Advanced');
      const nvram = () => new DeviceSettings(FileStore.mount(VirtualFlash.fromImage(phone.profile.flash, phone.dumpFlash()).open('nvram'), phone.devices.crypto), () => {});
      assert.is(nvram().get(RECOVERY_TYPE_SETTING), recoveryType, 'mirrored into nvram for the updater');
      phone.holdKeysAtBoot(['1', '3', '5']);
      await phone.reboot('recovery test');
      await until(phone, () => phone.log().some((l) => /reset: Reset to Factory( Partial)? done/.test(l)), 'the recovery reset');
      assert.ok(phone.log().some((l) => l.includes(adminKept ? 'Reset to Factory Partial done' : 'Reset to Factory done')));
      assert.is(nvram().get('auth.admin') !== undefined, adminKept, 'admin password hash');
      // On the keypad: the kept password opens Advanced; after a full recovery the default asks for a new one.
      await toIdle(phone);
      await phone.press('soft4');
      await openEntry(phone, 'Settings');
      await openEntry(phone, 'Advanced');
      await phone.pressAll([...(adminKept ? ADMIN_PASSWORD : '456').split(''), 'soft1'] as never);
      assert.is(phone.screen().title, adminKept ? 'Advanced' : 'Change Admin Password', JSON.stringify(phone.screen()));
    } finally {
      phone.dispose();
      folder.remove();
    }
  });
}

test.run();
