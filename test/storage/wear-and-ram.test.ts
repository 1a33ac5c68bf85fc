/**
 * Wear awareness and the RAM bound (docs/storage-format.md): after a long
 * workload with cold data the erase counts stay close together, and the
 * index never holds more references than the stated bound, however much is
 * appended.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_FILES, FileStore, MERGE_TRIGGER } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { content, mountStore, newFlash, prng } from './store-harness';

test('erase counts stay within a small spread under a hot/cold workload', () => {
  const flash = newFlash();
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  // Cold data that is never rewritten takes a third of the partition.
  for (let i = 0; i < 8; i++) store.write(`cold${i}`, content(`cold${i}`, 900), { cls: 'config' });
  const rnd = prng(5);
  for (let i = 0; i < 6000; i++) store.write(`hot${i % 3}`, content(`hot${i}`, 100 + Math.floor(rnd() * 300)), { cls: 'logs' });
  const counts = store.stats().eraseCounts;
  const spread = Math.max(...counts) - Math.min(...counts);
  console.log(`erase counts after 6000 writes: min ${Math.min(...counts)}, max ${Math.max(...counts)}, wear moves ${store.stats().wearMoves}`);
  assert.ok(Math.min(...counts) > 0, 'the blocks holding cold data were moved and reused too');
  assert.ok(spread <= 20, `spread ${spread} stays small`);
  assert.ok(store.stats().wearMoves > 0, 'static wear levelling ran');
  for (let i = 0; i < 8; i++) assert.equal(store.read(`cold${i}`), content(`cold${i}`, 900));
  // The simulator's own counters agree with the store's wear records.
  assert.equal(flash.stats()[0].eraseCounts.reduce((a, b) => a + b, 0), counts.reduce((a, b) => a + b, 0));
});

test('the index stays within the RAM bound however many small appends a file takes', () => {
  const flash = newFlash({ blockSize: 1024, progSize: 16, partitions: [{ name: 'fs', size: 96 * 1024 }] });
  const crypto = new NodeCryptoEngine(new Keystore());
  let store = mountStore(flash.open('fs'), crypto);
  const blocks = store.stats().blocks;
  const files = 4;
  const bound = files * (MERGE_TRIGGER + 1) + 4 * blocks;
  let peak = 0;
  const expected = ['', '', '', ''];
  for (let i = 0; i < 1500; i++) {
    const entry = `<call n="${i}"/>`;
    store.append(`calls${i % files}.xml`, new Uint8Array(Buffer.from(entry)), { cls: 'callLists' });
    expected[i % files] += entry;
    if (i % 1000 === 999) {
      const del = Math.floor(i / 1000) % files;
      store.delete(`calls${del}.xml`);
      expected[del] = '';
    }
    peak = Math.max(peak, store.stats().index.refs);
  }
  store = mountStore(flash.open('fs'), crypto);
  peak = Math.max(peak, store.stats().index.refs);
  console.log(`index references: peak ${peak}, bound ${bound} (maxFiles ${DEFAULT_MAX_FILES} gives ${DEFAULT_MAX_FILES * (MERGE_TRIGGER + 1) + 4 * blocks})`);
  assert.ok(peak <= bound, `peak ${peak} ≤ ${bound}`);
  assert.ok(store.stats().index.entries <= files + blocks, 'entries: live files plus paths still on flash');
  for (let f = 0; f < files; f++) assert.equal(Buffer.from(store.read(`calls${f}.xml`) ?? new Uint8Array(0)).toString(), expected[f]);
});

test('deleted paths do not pile up in the index (one file per entry, oldest deleted)', () => {
  const flash = newFlash({ blockSize: 1024, progSize: 16, partitions: [{ name: 'fs', size: 96 * 1024 }] });
  const crypto = new NodeCryptoEngine(new Keystore());
  const maxFiles = 32;
  const store = FileStore.mount(flash.open('fs'), crypto, () => {}, { maxFiles });
  let peak = 0;
  for (let i = 0; i < 6000; i++) {
    store.transaction((tx) => {
      tx.write(`calls/${i}`, content(`c${i}`, 40), { cls: 'callLists' });
      if (i >= 20) tx.delete(`calls/${i - 20}`);
    });
    peak = Math.max(peak, store.stats().index.entries);
  }
  console.log(`index entries with one file per entry: peak ${peak} (maxFiles ${maxFiles} + 256)`);
  assert.ok(peak <= maxFiles + 256 + 8, `peak ${peak}`);
  assert.equal(store.list().length, 20);
  assert.equal(FileStore.mount(flash.open('fs'), crypto).read('calls/5999'), content('c5999', 40));
});

test.run();
