/**
 * Nothing lost: an edit cut by a power failure at any flash operation leaves
 * the old or the new directory, whole and searchable; a full flash refuses
 * the edit with a message and a log line and keeps the directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { message } from '../../firmware/ui/i18n/messages';
import type { KeyName } from '../../hal/contract';
import { StorageFullError } from '../../firmware/storage/errors';
import { bootPhone } from '../helpers/sim';
import { directoryXml, harness, names, people, GLOBAL_FILE } from './directory-fixture';

test('power cut during an Add + (after 1 to 233 flash operations): old or new directory after reboot, never a broken one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dir-cut-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg"/>\n');
  fs.writeFileSync(path.join(dir, 'site.cfg'), '<polycomConfig/>\n');
  fs.writeFileSync(path.join(dir, '000000000000-directory.xml'), directoryXml(people(150)));
  const outcomes = new Set<string>();
  try {
    for (const ops of [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233]) {
      const phone = await bootPhone({ board: 'desk-500', engine: 'node', provisioningDir: dir });
      try {
        await phone.advance(1000);
        await phone.settle();
        const open = async () => {
          await phone.press('home');
          if (phone.screen().id !== 'menu') await phone.press('home');
          for (const label of ['Contacts', 'Local Directory']) {
            const line = phone.screen().lines.find((l) => l.includes(label))!;
            await phone.press(line.split('.')[0] as KeyName);
          }
        };
        await open();
        assert.is(phone.screen().title, 'Local Directory (150/150)');
        await phone.press('soft2');
        await phone.pressAll(['down', 'down', '9', '9', '9']);
        phone.cutPower(ops);
        await phone.press('soft1');
        await phone.powerOn();
        await phone.advance(1000);
        await phone.settle();
        await open();
        const title = phone.screen().title;
        assert.ok(title === 'Local Directory (150/150)' || title === 'Local Directory (151/151)', `after a cut at op ${ops}: ${title}`);
        outcomes.add(title);
        // The pages are whole: the last rows read back.
        for (let i = 0; i < 3; i++) await phone.press('up');
        assert.ok(phone.screen().lines.length > 1);
      } finally {
        phone.dispose();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.is(outcomes.size, 2, `both the old and the new directory were seen: ${[...outcomes].join(', ')}`);
});

test('full flash: the edit is refused with a message and a log line; the directory stays as it was', () => {
  const h = harness('desk-99');
  h.files.set(GLOBAL_FILE, directoryXml(people(20)));
  h.service.start();
  const before = names(h);
  // Fill the partition with other data.
  let i = 0;
  try {
    for (;;) h.store.write(`junk/${i++}`, new Uint8Array(3000).fill(0x55), { cls: 'config' });
  } catch (e) {
    assert.instance(e, StorageFullError);
  }
  const r = h.service.put({ fn: 'Late', ln: 'Comer', ct: '31337' });
  assert.equal(r, { ok: false, error: message('contact.error.storageFull') });
  assert.ok(h.log.some((l) => /could not save \(no space/.test(l)), h.log.join('\n'));
  assert.equal(names(h), before);
  assert.is(h.service.lookup('31337'), undefined);
  const again = h.reboot();
  again.service.start();
  assert.equal(names(again), before);
});


test('power cut while a new global file is merged (pages written ahead of the index commit): the old directory after remount, whole; the next merge completes', async () => {
  const { FileStore } = await import('../../firmware/storage/file-store');
  const { Keystore, NodeCryptoEngine } = await import('../../sim/devices/crypto');
  const { VirtualFlash } = await import('../../sim/devices/flash');
  const { BOARDS } = await import('../../hal/boards');
  const { DirectoryService, GLOBAL_ENTRIES_PER_LOCAL_CONTACT } = await import('../../firmware/directory/directory-service');
  const { Logger } = await import('../../firmware/kernel/logger');
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const keystore = new Keystore();
  const files = new Map<string, string>();
  const service = () => {
    const store = FileStore.mount(flash.open('fs'), new NodeCryptoEngine(keystore));
    return new DirectoryService({
      fs: store, log: new Logger(() => 0).component('dir'), mac: '0004f2a1b2c3', maxLocal: () => 500,
      maxGlobal: 500 * GLOBAL_ENTRIES_PER_LOCAL_CONTACT, byFirstName: () => false, enabled: () => true,
      sourceText: (name) => files.get(name) ?? null, upload: () => {},
    });
  };
  files.set(GLOBAL_FILE, directoryXml(people(1000)));
  const first = service();
  first.start();
  assert.is(first.size(), 1000);
  let cutOutcomes = 0;
  for (const ops of [5, 40, 80, 160, 320, 640]) {
    const next = directoryXml(people(2000, 5000, 'New'));
    const cut = service();
    cut.start();
    flash.cutPowerAfter(ops);
    try {
      cut.fileArrived(GLOBAL_FILE, next);
    } catch {
      // The power cut stops the merge wherever it is.
    }
    flash.restorePower();
    const after = service();
    after.start();
    // Old index whole (1000, the first person found), or the new one whole: never a mix, never a broken one.
    if (after.size() === 1000) {
      cutOutcomes++;
      assert.is(after.entry(after.search('family00000').start)?.c.ct, '100000');
    } else assert.is(after.size(), 2000);
  }
  assert.ok(cutOutcomes > 0, 'some cut fell before the index commit');
  files.set(GLOBAL_FILE, directoryXml(people(2000, 5000, 'New')));
  const done = service();
  done.start();
  done.fileArrived(GLOBAL_FILE, files.get(GLOBAL_FILE)!);
  assert.is(done.size(), 2000);
});

test.run();
