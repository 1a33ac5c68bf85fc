/**
 * Flash written by firmware that kept device settings and the configuration
 * cache in clear still mounts: `sealClearRecords` rewrites those files sealed
 * and erases every block that held a clear copy (live or stale), also when a
 * power cut interrupts it at any flash operation.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DATA_CLASSES, type DataClassId } from '../../firmware/storage/data-classes';
import type { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError } from '../../sim/devices/flash';
import { findRawStrings } from '../../sim/forensics/scan';
import { SMALL_GEOMETRY, cloneKeystore, mountStore, newFlash } from './store-harness';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const SECRETS = ['OldKey-0', 'OldKey-3', 'OldLdapPw', 'OldProvPw', 'GoneFileSecret'];
const EXPECTED: Record<string, string> = {
  'cfg/site.cfg': '<cfg device.sec.configEncryption.key="OldKey-3" dir.corp.password="OldLdapPw"/>',
  'device-settings.json': '{"device.prov.password":"OldProvPw"}',
  'certs/ca.pem': 'PublicCaCert',
};

/** What the firmware before sealed device settings and config left on flash. */
function olderFirmwareImage(): { image: Uint8Array; keys: Keystore } {
  const flash = newFlash();
  const ks = new Keystore();
  const unsealed: DataClassId[] = ['config', 'deviceSettings'];
  for (const cls of unsealed) DATA_CLASSES[cls].sealed = false;
  try {
    const store = mountStore(flash.open('fs'), new NodeCryptoEngine(ks));
    for (let i = 0; i <= 3; i++) store.write('cfg/site.cfg', utf8(`<cfg device.sec.configEncryption.key="OldKey-${i}" dir.corp.password="OldLdapPw"/>`), { cls: 'config' });
    store.write('cfg/gone.cfg', utf8('<cfg a="GoneFileSecret"/>'), { cls: 'config' });
    store.delete('cfg/gone.cfg');
    store.write('device-settings.json', utf8(EXPECTED['device-settings.json']), { cls: 'deviceSettings' });
    store.write('certs/ca.pem', utf8(EXPECTED['certs/ca.pem']), { cls: 'certificates' });
    store.append('calls/alice.xml', utf8('<call>Alice Example</call>'), { cls: 'callLists', user: 'alice' });
  } finally {
    for (const cls of unsealed) DATA_CLASSES[cls].sealed = true;
  }
  return { image: flash.image(), keys: ks };
}

function assertIntact(store: FileStore): void {
  for (const [path, text] of Object.entries(EXPECTED)) assert.is(Buffer.from(store.read(path) ?? []).toString('utf8'), text, `${path} reads back`);
  assert.is(store.read('cfg/gone.cfg'), null, 'a deleted file stays deleted');
  assert.is(Buffer.from(store.read('calls/alice.xml')!).toString('utf8'), '<call>Alice Example</call>');
}

test('clear records of sealed classes are rewritten sealed and their blocks erased', () => {
  const { image, keys } = olderFirmwareImage();
  assert.ok(findRawStrings(image, SECRETS, SMALL_GEOMETRY).length >= SECRETS.length, 'the older image holds the secrets in clear (the scan can fail)');
  const flash = newFlash(SMALL_GEOMETRY, image);
  const crypto = new NodeCryptoEngine(keys);
  const log: string[] = [];
  const store = mountStore(flash.open('fs'), crypto, log);
  assertIntact(store);
  assert.is(store.sealClearRecords(), 2, 'cfg/site.cfg and device-settings.json rewritten');
  assert.match(log.join('\n'), /2 files of sealed classes were in clear: rewritten sealed, \d+ blocks erased/);
  assert.equal(findRawStrings(flash.image(), SECRETS, SMALL_GEOMETRY), [], 'no clear copy left, live or stale');
  assert.ok(findRawStrings(flash.image(), ['PublicCaCert'], SMALL_GEOMETRY).length > 0, 'the plain class is left as it is');
  assertIntact(store);
  const remounted = mountStore(flash.open('fs'), crypto);
  assertIntact(remounted);
  const programs = flash.stats()[0].programOps;
  assert.is(remounted.sealClearRecords(), 0, 'nothing left to seal');
  assert.is(flash.stats()[0].programOps, programs, 'and nothing written for it');
});

test('sealing cut by a power cut at any flash operation is finished by the next boot', () => {
  const { image, keys } = olderFirmwareImage();
  let cuts = 0;
  for (let j = 1; ; j++) {
    const flash = newFlash(SMALL_GEOMETRY, image);
    const crypto = new NodeCryptoEngine(cloneKeystore(keys));
    const store = mountStore(flash.open('fs'), crypto);
    flash.cutPowerAfter(j);
    try {
      store.sealClearRecords();
      break;
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
    }
    cuts++;
    flash.restorePower();
    const next = mountStore(flash.open('fs'), crypto);
    assertIntact(next);
    next.sealClearRecords();
    assert.equal(findRawStrings(flash.image(), SECRETS, SMALL_GEOMETRY), [], `cut ${j}: no clear copy left after the next boot`);
    assertIntact(mountStore(flash.open('fs'), crypto));
  }
  console.log(`seal-clear-records cut sweep: ${cuts} cut points`);
  assert.ok(cuts > 5, `sealing takes several flash operations (${cuts})`);
});

test.run();
