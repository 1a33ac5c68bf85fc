/**
 * A flash image from firmware that kept device settings and the config cache
 * in clear still boots: the QuickJS firmware rewrites them sealed at mount,
 * erases the blocks that held the clear copies, and runs on the same
 * settings and cached configuration as before.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import { ConfigCache } from '../../firmware/config/config-cache';
import { DeviceSettings } from '../../firmware/settings/device-settings';
import { DATA_CLASSES, type DataClassId } from '../../firmware/storage/data-classes';
import { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { findRawStrings } from '../../sim/forensics/scan';
import { withPhone } from '../helpers/sim';
import { cfg, masterCfg } from '../provisioning/provisioning-fixture';

const profile = boardProfile('desk-500');
const PROV_PASSWORD = 'CANARY-oldprov-7f3a';
const LDAP_PASSWORD = 'CANARY-oldldap-7f3a';

/** What the firmware before this change left on flash: the same files, written in clear. */
function olderFirmwareImage(file: string): void {
  const flash = new VirtualFlash(profile.flash);
  const ks = new Keystore();
  const crypto = new NodeCryptoEngine(ks);
  const unsealed: DataClassId[] = ['config', 'deviceSettings'];
  for (const cls of unsealed) DATA_CLASSES[cls].sealed = false;
  try {
    const settings = new DeviceSettings(FileStore.mount(flash.open('nvram'), crypto), () => {});
    settings.set('device.prov.user', 'provisioner');
    settings.set('device.prov.password', PROV_PASSWORD);
    const cache = new ConfigCache(FileStore.mount(flash.open('fs'), crypto), () => {});
    cache.saveMaster('000000000000.cfg', masterCfg('site.cfg'));
    cache.saveFile('site.cfg', cfg({ 'dir.corp.password': LDAP_PASSWORD, 'prov.polling.period': '7777' }));
  } finally {
    for (const cls of unsealed) DATA_CLASSES[cls].sealed = true;
  }
  fs.writeFileSync(file, flash.image());
  ks.save(file + '.keys.json');
}

test('an image with clear settings and config cache boots, is sealed at mount, and keeps its values', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clear-image-'));
  try {
    const file = path.join(dir, 'old.img');
    olderFirmwareImage(file);
    assert.is(findRawStrings(fs.readFileSync(file), [PROV_PASSWORD, LDAP_PASSWORD], profile.flash).length >= 2, true, 'the old image holds both in clear');
    await withPhone({ flashImage: file, provisioningDir: null }, async (phone) => {
      const log = phone.log();
      assert.ok(log.some((l) => /nvram: store: 1 files of sealed classes were in clear: rewritten sealed/.test(l)), log.join('\n'));
      assert.ok(log.some((l) => /fs: store: \d+ files of sealed classes were in clear: rewritten sealed/.test(l)));
      assert.ok(log.some((l) => /prov\.polling\.period="7777" from files \(site\.cfg\)/.test(l)), 'the cached configuration is in force');
      assert.ok(log.some((l) => l.includes(`dir.corp.password="<${LDAP_PASSWORD.length} characters hidden>" from files (site.cfg)`)));
      const dump = phone.dumpFlash();
      assert.equal(findRawStrings(dump, [PROV_PASSWORD, LDAP_PASSWORD], profile.flash), [], 'no clear copy left');
      const settings = new DeviceSettings(FileStore.mount(VirtualFlash.fromImage(profile.flash, dump).open('nvram'), phone.devices.crypto), (m) => assert.unreachable(m));
      assert.is(settings.get('device.prov.password'), PROV_PASSWORD, 'the settings are kept, sealed');
      assert.is(settings.get('device.prov.user'), 'provisioner');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
