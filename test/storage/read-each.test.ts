/**
 * FileStore.readEach: several files read together — their sealed records
 * decrypted in one HAL call (Crypto.decryptEach) — give what read() gives one
 * by one; a missing file is null and a file whose key is gone is refused
 * alone, the others read all the same; a host without decryptEach decrypts
 * one by one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SealedItem } from '../../hal/contract';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { content, mountStore, newFlash } from './store-harness';

function filled(): { crypto: NodeCryptoEngine; store: ReturnType<typeof mountStore>; paths: string[] } {
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(newFlash().open('fs'), crypto);
  const paths: string[] = [];
  for (let i = 0; i < 12; i++) {
    const path = `calls/${i < 8 ? 'phone' : 'alice'}/${i}`;
    store.write(path, content(`Caller ${i}`, 150), { cls: 'callLists', ...(i < 8 ? {} : { user: 'alice' }) });
    // Patches: a file of several records.
    for (let p = 0; p < i % 3; p++) store.append(path, content(`patch ${i}.${p}`, 40), { cls: 'callLists', ...(i < 8 ? {} : { user: 'alice' }) });
    paths.push(path);
  }
  store.write('cfg/site.cfg', content('site', 500), { cls: 'config' });
  paths.push('cfg/site.cfg');
  return { crypto, store, paths };
}

test('files read together equal files read one by one, in one decryption call', () => {
  const { crypto, store, paths } = filled();
  let batches = 0;
  let items = 0;
  const decryptEach = crypto.decryptEach.bind(crypto);
  crypto.decryptEach = (list: SealedItem[]) => { batches++; items += list.length; return decryptEach(list); };
  const together = store.readEach([...paths, 'calls/phone/none']);
  assert.is(batches, 1);
  assert.ok(items > paths.length, `${items} sealed records for ${paths.length} files`);
  assert.is(together[together.length - 1], null, 'a missing file is null');
  paths.forEach((p, i) => assert.equal(together[i], store.read(p), p));
});

test("a file whose records cannot be decrypted is refused alone", () => {
  const { crypto, store, paths } = filled();
  for (const name of crypto.listKeys('store.callLists.u.alice')) crypto.destroyKey(name);
  const together = store.readEach(paths);
  paths.forEach((p, i) => {
    if (p.startsWith('calls/alice/')) {
      assert.instance(together[i], Error, p);
      assert.match((together[i] as Error).message, /alice/);
    } else assert.equal(together[i], store.read(p), p);
  });
  assert.throws(() => store.read('calls/alice/9'));
});

test('a host without decryptEach: the same files, decrypted one by one', () => {
  const { crypto, store, paths } = filled();
  const expected = paths.map((p) => store.read(p));
  (crypto as { decryptEach?: unknown }).decryptEach = undefined;
  assert.equal(store.readEach(paths), expected);
});

test.run();
