/**
 * A full partition gives a clear "no space" error and harms nothing already
 * committed; bad flash contents (garbage, corrupted blocks, records that
 * pass their CRC but lie about their lengths, a lost keystore) mount
 * without crashing and keep whatever is still valid.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageFullError, StorageUsageError } from '../../firmware/storage/errors';
import { FileStore } from '../../firmware/storage/file-store';
import { crc32 } from '../../firmware/storage/crc32';
import { ACTIVE_MAGIC, BLOCK_HEADER_BYTES, ERASE_MAGIC, RecordKind, encodeBlockUnit, encodeRecord } from '../../firmware/storage/record-format';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError } from '../../sim/devices/flash';
import { ScatterTornPartition } from './scatter-torn-partition';
import { SMALL_GEOMETRY, applyToModel, content, diff, mountStore, newFlash, prng, type Model } from './store-harness';

const BLOCK = SMALL_GEOMETRY.blockSize;

function filled(): { flash: ReturnType<typeof newFlash>; crypto: NodeCryptoEngine; store: FileStore; model: Model } {
  const flash = newFlash();
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  let model: Model = new Map();
  for (let i = 0; i < 12; i++) {
    const op = { kind: 'write' as const, path: `f${i}`, cls: i % 3 ? ('certificates' as const) : ('directory' as const), data: content(`f${i}`, 150 + 37 * i) };
    store.write(op.path, op.data, { cls: op.cls });
    model = applyToModel(model, op);
  }
  return { flash, crypto, store, model };
}

test('a full partition refuses the write with StorageFullError and keeps every committed file', () => {
  const { flash, crypto, store } = filled();
  let model: Model = new Map(store.list().map((f) => [f.path, { data: store.read(f.path)!, cls: f.cls, user: '' }]));
  let error: unknown = null;
  for (let i = 0; i < 200 && !error; i++) {
    try {
      store.append(`log${i % 3}`, content(`log${i}`, 900), { cls: 'logs' });
      model = applyToModel(model, { kind: 'append', path: `log${i % 3}`, cls: 'logs', data: content(`log${i}`, 900) });
    } catch (e) {
      error = e;
    }
  }
  assert.instance(error, StorageFullError);
  assert.match((error as Error).message, /^no space: /);
  assert.equal(diff(store, model), [], 'nothing committed was harmed');
  // A multi-file transaction that does not fit leaves nothing behind.
  assert.throws(() => store.transaction((tx) => {
    tx.write('f0', content('new-f0', 100), { cls: 'directory' });
    tx.write('big', content('big', 9000), { cls: 'config' });
  }), (e: Error) => e instanceof StorageFullError);
  assert.equal(diff(store, model), []);
  assert.equal(diff(mountStore(flash.open('fs'), crypto), model), [], 'and after a reboot');
  // Deletes still work on a full partition, and free room for new data.
  const s2 = mountStore(flash.open('fs'), crypto);
  for (const path of ['log0', 'log1']) {
    s2.delete(path);
    model = applyToModel(model, { kind: 'delete', path });
  }
  s2.write('new', content('new', 2000), { cls: 'config' });
  model = applyToModel(model, { kind: 'write', path: 'new', cls: 'config', data: content('new', 2000) });
  assert.equal(diff(mountStore(flash.open('fs'), crypto), model), []);
});

test('too many files is a clear StorageFullError; bad names are usage errors', () => {
  const flash = newFlash();
  const store = FileStore.mount(flash.open('fs'), new NodeCryptoEngine(new Keystore()), () => {}, { maxFiles: 5 });
  for (let i = 0; i < 5; i++) store.write(`f${i}`, content('x', 10), { cls: 'config' });
  assert.throws(() => store.write('f5', content('x', 10), { cls: 'config' }), /5 files is the most/);
  store.write('f0', content('y', 10), { cls: 'config' }); // overwriting is fine
  assert.throws(() => store.write('', content('x', 1), { cls: 'config' }), (e: Error) => e instanceof StorageUsageError);
  assert.throws(() => store.write('x'.repeat(201), content('x', 1), { cls: 'config' }), (e: Error) => e instanceof StorageUsageError);
  assert.throws(() => store.append('f1', content('x', 1), { cls: 'logs' }), /class config, not logs/);
  assert.equal(store.list().length, 5);
});

test('a garbage image mounts as an empty store that works', () => {
  const rnd = prng(3);
  const image = new Uint8Array(SMALL_GEOMETRY.partitions[0].size).map(() => Math.floor(rnd() * 256));
  const flash = newFlash(SMALL_GEOMETRY, image);
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  assert.equal(store.list(), []);
  store.write('a', content('a', 3000), { cls: 'config' });
  assert.equal(mountStore(flash.open('fs'), crypto).read('a'), content('a', 3000));
});

test('a corrupted block loses only what it held; everything else reads back', () => {
  const { flash, crypto, store, model } = filled();
  const live = store.liveRecords();
  const victimBlock = live[0].block;
  const image = flash.image();
  const rnd = prng(9);
  // Flip bytes in the middle of one block's records.
  for (let i = 0; i < 40; i++) image[victimBlock * BLOCK + BLOCK_HEADER_BYTES + 16 + Math.floor(rnd() * (BLOCK - 64))] ^= 0x5a;
  const f2 = newFlash(SMALL_GEOMETRY, image);
  const log: string[] = [];
  const s2 = mountStore(f2.open('fs'), crypto, log);
  assert.ok(log.some((l) => l.includes(`block ${victimBlock}`)), 'the damage is logged');
  const hit = new Set(live.filter((r) => r.block === victimBlock).map((r) => r.path));
  for (const [path, f] of model) {
    if (hit.has(path)) continue;
    assert.equal(s2.read(path), f.data, `${path} survives`);
  }
  s2.write('after', content('after', 500), { cls: 'config' });
  assert.equal(mountStore(f2.open('fs'), crypto).read('after'), content('after', 500));
});

test('a record that passes its CRC but lies about its lengths is treated as damage', () => {
  const { flash, crypto, model } = filled();
  const image = flash.image();
  // A record whose CRC matches but whose path is longer than its payload.
  const rec = encodeRecord(RecordKind.Write, 2, 0, 999, { path: 'evil', user: '', origSeq: 999, chunkFirst: 0, chunkLast: 0, data: new Uint8Array(0) }, new Uint8Array(Buffer.from('evil')), new Uint8Array(0));
  rec[3] = 200;
  const len = rec[8] | (rec[9] << 8);
  const crc = crc32(rec, 16, 16 + len, crc32(rec, 0, 12));
  rec[12] = crc & 0xff; rec[13] = (crc >>> 8) & 0xff; rec[14] = (crc >>> 16) & 0xff; rec[15] = crc >>> 24;
  // Put it in a blank block that claims to be the newest in the log.
  const free = [...Array(SMALL_GEOMETRY.partitions[0].size / BLOCK).keys()].find((b) => image.subarray(b * BLOCK + 16, (b + 1) * BLOCK).every((x) => x === 0xff))!;
  image.set(encodeBlockUnit(ERASE_MAGIC, 1), free * BLOCK);
  image.set(encodeBlockUnit(ACTIVE_MAGIC, 100000), free * BLOCK + 16);
  image.set(rec, free * BLOCK + 32);
  const log: string[] = [];
  const s2 = mountStore(newFlash(SMALL_GEOMETRY, image).open('fs'), crypto, log);
  assert.ok(log.some((l) => l.includes('inconsistent lengths')), log.join('\n'));
  assert.equal(diff(s2, model), []);
});

test('sealed records whose key is gone (lost keystore) are scrubbed at mount; plain classes stay', () => {
  const { flash, model } = filled();
  const log: string[] = [];
  const s2 = mountStore(flash.open('fs'), new NodeCryptoEngine(new Keystore()), log);
  assert.ok(log.some((l) => l.includes('have no key')), log.join('\n'));
  for (const [path, f] of model) {
    if (f.cls === 'directory') assert.equal(s2.read(path), null);
    else assert.equal(s2.read(path), f.data);
  }
});

test('an erase torn so that only the end of the block is erased cannot bring a deleted file back', () => {
  /** Erases only the tail of one chosen block, once, then the power is gone. */
  class TailEraseOnce extends ScatterTornPartition {
    target = -1;
    from = 0;
    erase(block: number): void {
      if (block !== this.target) return super.erase(block);
      this.bytes.fill(0xff, block * this.blockSize + this.from, (block + 1) * this.blockSize);
      this.target = -1;
      throw new PowerCutError('erase');
    }
  }
  const part = new TailEraseOnce(SMALL_GEOMETRY.partitions[0].size, BLOCK, 1);
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = FileStore.mount(part, crypto);
  store.write('gone', content('gone', 100), { cls: 'config' });
  store.delete('gone');
  const tomb = store.liveRecords().find((r) => r.path === 'gone')!;
  part.target = tomb.block;
  part.from = tomb.offset;
  let cut = false;
  for (let i = 0; i < 2000 && !cut; i++) {
    try {
      store.write(`hot${i % 2}`, content(`hot${i}`, 300), { cls: 'config' });
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
      cut = true;
    }
  }
  assert.ok(cut, 'garbage collection erased the block holding the tombstone');
  part.restore();
  const after = FileStore.mount(part, crypto);
  assert.equal(after.read('gone'), null, 'the deleted file stays deleted');
});

test.run();
