/**
 * Issue 12 point 4, in the store: delete is erase. `rekeyClass(cls, user,
 * changes)` commits the caller's deletes together with every other live
 * file of the class and user rewritten under a new key generation and a
 * re-key intent, then destroys the older keys and erases every block that
 * held records sealed under them. Checked with every key of the keystore
 * tried on every record of the raw dump (test/helpers/decryptable-records.ts),
 * and with a power cut at every flash operation of a re-key (and of the
 * mount that finishes it). Store under Node on VirtualFlash.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseClassKeyName } from '../../firmware/storage/data-classes';
import type { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError } from '../../sim/devices/flash';
import { findRawStrings } from '../../sim/forensics/scan';
import { decryptableMentions, decryptableRecords } from '../helpers/decryptable-records';
import { SMALL_GEOMETRY, applyToModel, cloneKeystore, content, diff, mountStore, newFlash, sweepFinishingMount, type Model, type Op } from './store-harness';

const USER = 'alice';
const entry = (i: number) => `calls/u.${USER}/missed/${i}`;
const secret = (i: number) => `Caller-${i}-Zanzibar`;

/** A store with a user's call-list entries among other classes' files, garbage collection having run. */
function populated(): { flash: ReturnType<typeof newFlash>; ks: Keystore; crypto: NodeCryptoEngine; store: FileStore; model: Model } {
  const flash = newFlash();
  const ks = new Keystore();
  const crypto = new NodeCryptoEngine(ks);
  const store = mountStore(flash.open('fs'), crypto);
  let model: Model = new Map();
  const run = (op: Op & { kind: 'write' | 'delete' }) => {
    if (op.kind === 'write') store.write(op.path, op.data, { cls: op.cls, user: op.user });
    else store.delete(op.path);
    model = applyToModel(model, op);
  };
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 12; i++) run({ kind: 'write', path: entry(i), cls: 'callLists', user: USER, data: content(`${secret(i)}.r${round}`, 180) });
    run({ kind: 'write', path: 'calls/phone/missed/0', cls: 'callLists', data: content(`Phone-own-${round}`, 150) });
    run({ kind: 'write', path: `dir/u-${USER}/local`, cls: 'directory', user: USER, data: content(`Dir-${round}`, 300) });
    run({ kind: 'write', path: 'cfg/site.cfg', cls: 'config', data: content(`Cfg-${round}`, 400) });
  }
  return { flash, ks, crypto, store, model };
}

function userKeys(ks: Keystore, cls: string): string[] {
  return ks.names().filter((n) => { const k = parseClassKeyName(n); return !!k && k.cls === cls && k.user === USER; });
}

test('a delete marker alone leaves the entry decryptable; a re-key leaves nothing deleted that any key opens, and the rest intact', () => {
  const { flash, ks, crypto, store, model: start } = populated();
  let model = start;
  // Today's delete: a marker. The entry is gone from the store but its records still open with the live key.
  store.delete(entry(0));
  model = applyToModel(model, { kind: 'delete', path: entry(0) });
  assert.ok(decryptableMentions(decryptableRecords(flash.image(), SMALL_GEOMETRY, crypto), [secret(0)]).length > 0, 'a marker alone: still decryptable (the defect)');

  const report = store.rekeyClass('callLists', USER, (tx) => {
    tx.delete(entry(3));
    tx.delete(entry(4));
  });
  model = applyToModel(model, { kind: 'delete', path: entry(3) });
  model = applyToModel(model, { kind: 'delete', path: entry(4) });
  assert.equal(diff(store, model), [], 'live files as the model says');
  const leaks = decryptableMentions(decryptableRecords(flash.image(), SMALL_GEOMETRY, crypto), [secret(0), secret(3), secret(4), '.r0', '.r1']);
  assert.equal(leaks, [], 'no deleted or superseded entry decrypts with any key');
  assert.equal(userKeys(ks, 'callLists'), [`store.callLists.u.${USER}#1`], 'one key generation left');
  assert.ok(report.blocksErased > 0 && report.programBytes > 0, JSON.stringify(report));
  // The phone's own entry and the user's other classes were not touched: their old versions were not the user's delete.
  assert.ok(decryptableMentions(decryptableRecords(flash.image(), SMALL_GEOMETRY, crypto), [secret(5)]).length > 0, 'live entries still open');
  assert.equal(diff(mountStore(flash.open('fs'), crypto), model), [], 'the same after a remount');

  // A second re-key moves on to generation 2; a class erase takes every generation.
  const again = mountStore(flash.open('fs'), crypto);
  again.rekeyClass('callLists', USER);
  assert.equal(userKeys(ks, 'callLists'), [`store.callLists.u.${USER}#2`]);
  assert.equal(diff(mountStore(flash.open('fs'), crypto), model), []);
  again.eraseClass('callLists', USER);
  assert.equal(userKeys(ks, 'callLists'), []);
  assert.equal(findRawStrings(flash.image(), ['Zanzibar']).length, 0);
});

test('a power cut at every flash operation of a re-key (and of the mount finishing it): old state or new, live records never lost, deleted data never decryptable once done', () => {
  const { flash, ks, model: before } = populated();
  const image = flash.image();
  const keys = cloneKeystore(ks);
  const deleted = [entry(2), entry(7)];
  let after = before;
  for (const p of deleted) after = applyToModel(after, { kind: 'delete', path: p });
  const doomed = [secret(2), secret(7), '.r0', '.r1'];
  const rekey = (s: FileStore) => s.rekeyClass('callLists', USER, (tx) => deleted.forEach((p) => tx.delete(p)));

  let cuts = 0;
  let old = 0;
  let recoveryCuts = 0;
  for (let j = 1; ; j++) {
    const f = newFlash(SMALL_GEOMETRY, image);
    const c = new NodeCryptoEngine(cloneKeystore(keys));
    const s = mountStore(f.open('fs'), c);
    f.cutPowerAfter(j);
    try {
      rekey(s);
      // Done uncut: nothing deleted opens.
      assert.equal(decryptableMentions(decryptableRecords(f.image(), SMALL_GEOMETRY, c), doomed), [], 'reported done: nothing deleted decrypts');
      break;
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
    }
    cuts++;
    f.restorePower();
    const cutImage = f.image();
    const cutKeys = cloneKeystore(c.keystore);
    // The mount that finishes the re-key, itself cut at each of its operations.
    recoveryCuts += sweepFinishingMount(cutImage, cutKeys, (again, f2, c2, r) => {
      const isOld = diff(again, before).length === 0;
      assert.ok(isOld || diff(again, after).length === 0, `cut ${j}, recovery cut ${r}: ${diff(again, after).join('; ')}`);
      if (!isOld) assert.equal(decryptableMentions(decryptableRecords(f2.image(), SMALL_GEOMETRY, c2), doomed), [], `cut ${j}, recovery cut ${r}: deleted data decrypts`);
    });
    const store = mountStore(f.open('fs'), c);
    const isOld = diff(store, before).length === 0;
    if (isOld) {
      old++;
    } else {
      assert.equal(diff(store, after), [], `cut at flash op ${j}: neither the old state nor the new`);
      assert.equal(decryptableMentions(decryptableRecords(f.image(), SMALL_GEOMETRY, c), doomed), [], `cut at flash op ${j}: the re-key committed, so after the mount nothing deleted decrypts`);
    }
    // Still usable: a re-key (the user's delete, repeated) runs and survives a remount.
    rekey(store);
    assert.equal(diff(mountStore(f.open('fs'), c), after), [], `cut at flash op ${j}: a re-key after recovery`);
  }
  assert.ok(cuts > 20 && old > 0 && cuts - old > 0, `${cuts} cut points, ${old} before the commit`);
  console.log(`re-key power cut: ${cuts} flash operations cut (${old} before the commit: old state; ${cuts - old} after: new state), ${recoveryCuts} cuts of the finishing mount`);
});

test('records sealed before re-keys existed (generation 0, no generation field) read back and are re-keyed', () => {
  const flash = newFlash();
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  store.write('calls/phone/placed/0', content('Gen-zero', 100), { cls: 'callLists' });
  store.write('calls/phone/placed/1', content('Gen-zero-deleted', 100), { cls: 'callLists' });
  assert.equal(crypto.listKeys('store.'), ['store.callLists']);
  store.rekeyClass('callLists', '', (tx) => tx.delete('calls/phone/placed/1'));
  assert.equal(crypto.listKeys('store.'), ['store.callLists#1']);
  const again = mountStore(flash.open('fs'), crypto);
  assert.equal(Buffer.from(again.read('calls/phone/placed/0')!).toString('latin1'), Buffer.from(content('Gen-zero', 100)).toString('latin1'));
  assert.is(again.read('calls/phone/placed/1'), null);
  assert.equal(decryptableMentions(decryptableRecords(flash.image(), SMALL_GEOMETRY, crypto), ['Gen-zero-deleted']), []);
});

test('a keystore lost after a re-key: the orphaned records are scrubbed, and data written afterwards is not doomed by the old re-key intent', () => {
  const { flash, store } = populated();
  store.rekeyClass('callLists', USER, (tx) => tx.delete(entry(1)));
  // The secure element is replaced (or an image is booted without its keys): nothing of the old keys.
  const fresh = new NodeCryptoEngine(new Keystore());
  const log: string[] = [];
  const s2 = mountStore(flash.open('fs'), fresh, log);
  assert.equal(s2.list(`calls/u.${USER}/`).length, 0, 'sealed records without their key are gone');
  s2.write(entry(20), content('Written-after-the-loss', 120), { cls: 'callLists', user: USER });
  const s3 = mountStore(flash.open('fs'), fresh, log);
  assert.equal(s3.list(`calls/u.${USER}/`).map((f) => f.path), [entry(20)], log.join('\n'));
  assert.ok(fresh.listKeys('store.callLists').every((k) => parseClassKeyName(k)!.generation >= 1), fresh.listKeys('store.').join(', '));
});

test.run();
