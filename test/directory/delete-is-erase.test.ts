/**
 * Issue 12 point 4 for the local directory: deleting a contact erases it.
 * Before, the delete only rewrote the index pages: the old pages, still
 * sealed under the live key, held the contact until garbage collection.
 * Now the commit re-keys the owner's directory: every key of the keystore
 * tried on every record of the raw dump opens nothing that names the
 * contact, and the other contacts are intact (also after a reboot).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS } from '../../hal/boards';
import { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { findRawStrings } from '../../sim/forensics/scan';
import { decryptableMentions, decryptableRecords } from '../helpers/decryptable-records';
import { MAC, directoryXml, harness, names } from './directory-fixture';

test('a deleted contact (personal or global) decrypts with no key of the keystore; the others stay', () => {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = FileStore.mount(flash.open('fs'), crypto);
  const h = harness('desk-500', { store, files: new Map() });
  h.files.set(`${MAC}-directory.xml`, directoryXml([{ fn: 'Quirinus', ln: 'Deletable', ct: '5557001' }, { fn: 'Kept', ln: 'Personal', ct: '5557002' }]));
  h.files.set('000000000000-directory.xml', directoryXml([{ fn: 'Globetta', ln: 'Hiddenglobal', ct: '5557003' }, { fn: 'Kept', ln: 'Global', ct: '5557004' }]));
  h.service.start();
  assert.is(h.service.size(), 4);
  const opened = () => decryptableRecords(flash.image(), BOARDS['desk-500'], crypto).filter((r) => r.cls === 'directory');
  assert.ok(decryptableMentions(opened(), ['Deletable']).length > 0);

  assert.ok(h.service.remove('5557001').ok);
  assert.ok(h.service.remove('5557003').ok);
  assert.equal(names(h).sort(), ['Kept Global', 'Kept Personal']);
  assert.equal(decryptableMentions(opened(), ['Deletable', '5557001', 'Hiddenglobal']), [], 'the deleted contacts open with no key');
  assert.equal(findRawStrings(flash.image(), ['Deletable', '5557001', 'Hiddenglobal']).length, 0);
  assert.ok(decryptableMentions(opened(), ['Kept']).length > 0, 'the kept contacts are still there');
  const again = harness('desk-500', { store: FileStore.mount(flash.open('fs'), crypto), files: h.files });
  again.service.start();
  assert.equal(names(again).sort(), ['Kept Global', 'Kept Personal']);
});

test.run();
