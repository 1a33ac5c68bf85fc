/**
 * eraseClass: after it, a forensic scan of the raw image finds none of the
 * strings written to the class (UTF-8 and UTF-16LE/BE), the other classes
 * read back intact, and an erase cut short by a power cut at any of its
 * flash operations is finished by the next mount.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError } from '../../sim/devices/flash';
import { findRawStrings } from '../../sim/forensics/scan';
import type { FileStore } from '../../firmware/storage/file-store';
import { SMALL_GEOMETRY, cloneKeystore, content, mountStore, newFlash } from './store-harness';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));

/** Plain-text files (class certificates: not sealed) and personal call lists of two users, with overwrites, appends, deletes and a torn write. */
function populate(store: FileStore): void {
  for (let round = 0; round < 6; round++) {
    store.write('cfg/site.cfg', utf8(`<cfg secret="SiteSecret${round}" proxy="sip.example.com"/>` + ' '.repeat(300)), { cls: 'certificates' });
    store.write('dir/000000000000-directory.xml', utf16(`<item><fn>Keep Contact${round}</fn></item>`), { cls: 'directory' });
    store.append('calls/alice-calls.xml', utf8(`<call><name>Alice Caller ${round}</name><number>+4930123${round}</number></call>`), { cls: 'callLists', user: 'alice' });
    store.append('calls/bob-calls.xml', utf16(`<call><name>Bob Caller ${round}</name></call>`), { cls: 'callLists', user: 'bob' });
    store.write(`cfg/tmp${round}.cfg`, utf16(`TempConfig${round}`), { cls: 'certificates' });
    if (round % 2) store.delete(`cfg/tmp${round - 1}.cfg`);
  }
  store.write('settings.json', utf8('{"device.net.ipAddress":"KeepSetting"}'), { cls: 'deviceSettings' });
}

const CONFIG_STRINGS = ['SiteSecret0', 'SiteSecret5', 'sip.example.com', 'TempConfig0', 'TempConfig5', 'cfg/site.cfg', 'cfg/tmp4.cfg'];
const KEPT = { 'dir/000000000000-directory.xml': utf16('<item><fn>Keep Contact5</fn></item>'), 'settings.json': utf8('{"device.net.ipAddress":"KeepSetting"}') };

function assertKept(store: FileStore, extra: Record<string, Uint8Array> = {}): void {
  for (const [path, data] of Object.entries({ ...KEPT, ...extra })) assert.equal(store.read(path), data, `${path} intact`);
}

test('erasing a plain-text class leaves no trace of its strings in the raw image, UTF-8 or UTF-16', () => {
  const flash = newFlash();
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  populate(store);
  const before = findRawStrings(flash.image(), CONFIG_STRINGS, SMALL_GEOMETRY);
  for (const s of ['SiteSecret5', 'TempConfig5', 'cfg/site.cfg']) assert.ok(before.some((h) => h.needle === s), `"${s}" is in the image before the erase (the scan can fail)`);
  assert.ok(before.some((h) => h.encoding === 'utf-16le'), 'UTF-16 copies are found before the erase');
  const report = store.eraseClass('certificates');
  console.log(`eraseClass(certificates): ${report.blocksErased} blocks erased, ${report.recordsMoved} records moved, ${report.programOps} programs (${report.programBytes} bytes), ${report.eraseOps} erases`);
  assert.ok(report.eraseOps >= report.blocksErased && report.eraseOps > 0, 'the erase cost is reported in flash operations');
  assert.ok(report.programOps > 0);
  assert.equal(findRawStrings(flash.image(), CONFIG_STRINGS, SMALL_GEOMETRY), [], 'no config string left anywhere');
  assert.equal(store.list().filter((f) => f.cls === 'certificates'), []);
  assertKept(store);
  const remounted = mountStore(flash.open('fs'), crypto);
  assertKept(remounted);
  assert.equal(remounted.list().filter((f) => f.cls === 'certificates'), []);
});

test('erasing one user of a personal class: key destroyed, names and paths gone, the other user intact', () => {
  const flash = newFlash();
  const ks = new Keystore();
  const crypto = new NodeCryptoEngine(ks);
  const store = mountStore(flash.open('fs'), crypto);
  populate(store);
  // Sealed: the content never reaches flash in clear; the path and user id do (they index the file).
  assert.equal(findRawStrings(flash.image(), ['Alice Caller', 'Bob Caller', '+49301230'], SMALL_GEOMETRY), [], 'personal content is sealed');
  assert.ok(findRawStrings(flash.image(), ['calls/alice-calls.xml'], SMALL_GEOMETRY).length > 0, 'the path is in the image before the erase');
  assert.ok(ks.names().includes('store.callLists.u.alice'));
  const bobBefore = store.read('calls/bob-calls.xml');
  const report = store.eraseClass('callLists', 'alice');
  assert.ok(report.eraseOps > 0);
  assert.not.ok(ks.names().includes('store.callLists.u.alice'), 'alice\'s key is destroyed');
  assert.ok(ks.names().includes('store.callLists.u.bob'), 'bob\'s key is kept');
  assert.equal(findRawStrings(flash.image(), ['calls/alice-calls.xml', 'alice'], SMALL_GEOMETRY), []);
  assert.equal(store.read('calls/alice-calls.xml'), null);
  assert.equal(mountStore(flash.open('fs'), crypto).read('calls/bob-calls.xml'), bobBefore);
  assertKept(mountStore(flash.open('fs'), crypto));
});

test('a class erase cut by a power cut at any of its flash operations is finished at the next mount', () => {
  const flash = newFlash();
  const ks = new Keystore();
  const store = mountStore(flash.open('fs'), new NodeCryptoEngine(ks));
  populate(store);
  // A torn write of the class just before the erase (plain text past the torn point must go too).
  flash.cutPowerAfter(1);
  assert.throws(() => store.write('cfg/torn.cfg', utf8('TornConfigText'.repeat(20)), { cls: 'certificates' }), (e: Error) => e instanceof PowerCutError);
  flash.restorePower();
  const image = flash.image();
  const keys = cloneKeystore(ks);
  let cuts = 0;
  for (let j = 1; ; j++) {
    const f = newFlash(SMALL_GEOMETRY, image);
    const crypto = new NodeCryptoEngine(cloneKeystore(keys));
    const s = mountStore(f.open('fs'), crypto);
    f.cutPowerAfter(j);
    try {
      s.eraseClass('certificates');
      break;
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
    }
    cuts++;
    f.restorePower();
    const log: string[] = [];
    const after = mountStore(f.open('fs'), crypto, log);
    const configLeft = after.list().filter((x) => x.cls === 'certificates').length;
    if (configLeft === 0) {
      assert.equal(findRawStrings(f.image(), [...CONFIG_STRINGS, 'TornConfigText'], SMALL_GEOMETRY), [], `cut ${j}: nothing of the class left after the mount`);
    } else {
      // Cut before the erase intent was committed: nothing was erased, and it was not acknowledged.
      assert.equal(after.read('cfg/site.cfg')?.length, utf8(`<cfg secret="SiteSecret5" proxy="sip.example.com"/>` + ' '.repeat(300)).length);
    }
    assertKept(after);
  }
  console.log(`erase-class cut sweep: ${cuts} cut points`);
  assert.ok(cuts > 20, `the erase has many flash operations (${cuts})`);
});

test('erasing a class on a full partition works (deletes and erases may use the reserve)', () => {
  const flash = newFlash();
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  let i = 0;
  try {
    for (;; i++) store.write(`calls/${i}.xml`, content(`call${i}`, 700), { cls: i % 2 ? 'callLists' : 'certificates' });
  } catch (e) {
    assert.instance(e, Error);
    assert.equal((e as Error).name, 'StorageFullError');
  }
  assert.ok(i > 10);
  const report = store.eraseClass('certificates');
  assert.ok(report.blocksErased > 0);
  const left = store.list();
  assert.ok(left.length > 0 && left.every((f) => f.cls === 'callLists'));
  for (const f of left) assert.equal(store.read(f.path)!.length, 700);
  assert.equal(findRawStrings(flash.image(), ['call0#', 'call2#'], SMALL_GEOMETRY), []);
});

test.run();
