/**
 * Mount checkpoint (firmware/storage/mount-checkpoint.ts): written first in a
 * fresh block once 16 blocks lie past the last one; the mount trusts the
 * blocks it vouches for (their CRCs are left to read()); a torn, corrupt or
 * missing checkpoint only means every CRC is checked; a power cut at any
 * flash operation of its write loses nothing; it holds no personal data, so
 * a delete (re-key) or class erase leaves nothing of the data behind.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHECKPOINT_CLASS_CODE, CHECKPOINT_PATH } from '../../firmware/storage/mount-checkpoint';
import { BLOCK_HEADER_BYTES, RecordKind, decodeBlockUnit, decodeMeta, walkRecords, ACTIVE_MAGIC, UNIT } from '../../firmware/storage/record-format';
import type { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError, type FlashGeometry } from '../../sim/devices/flash';
import { findRawStrings } from '../../sim/forensics/scan';
import { decryptableMentions, decryptableRecords } from '../helpers/decryptable-records';
import { applyToModel, cloneKeystore, content, diff, mountStore, newFlash, type Model, type Op } from './store-harness';

const GEOMETRY: FlashGeometry = { blockSize: 1024, progSize: 16, partitions: [{ name: 'fs', size: 64 * 1024 }] };
const BS = GEOMETRY.blockSize;
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

interface Found { block: number; offset: number; seq: number }

/** Every checkpoint record on the raw image (committed or not), read the simple way. */
function checkpointsOn(image: Uint8Array): Found[] {
  const out: Found[] = [];
  for (let b = 0; b < image.length / BS; b++) {
    const bytes = image.subarray(b * BS, (b + 1) * BS);
    const seq = decodeBlockUnit(bytes, UNIT, ACTIVE_MAGIC);
    if (seq === null) continue;
    walkRecords(bytes, BLOCK_HEADER_BYTES, (at, h) => {
      if (h.kind === RecordKind.Write && h.classCode === CHECKPOINT_CLASS_CODE && decodeMeta(bytes, at, h, text).path === CHECKPOINT_PATH) out.push({ block: b, offset: at, seq });
    });
  }
  return out;
}

/** A block's live (non-checkpoint) data records: where to damage one. */
function dataRecordIn(image: Uint8Array, block: number): { offset: number; dataOffset: number; path: string } | null {
  const bytes = image.subarray(block * BS, (block + 1) * BS);
  let found: { offset: number; dataOffset: number; path: string } | null = null;
  walkRecords(bytes, BLOCK_HEADER_BYTES, (at, h) => {
    if (found || h.kind !== RecordKind.Write || h.classCode === CHECKPOINT_CLASS_CODE) return;
    const m = decodeMeta(bytes, at, h, text);
    if (m.dataLength > 40) found = { offset: at, dataOffset: at + m.dataOffset, path: m.path };
  });
  return found;
}

/** Kinds of the records a block's walk finds (CRCs checked). */
function kindsIn(image: Uint8Array, block: number): number[] {
  const out: number[] = [];
  walkRecords(image.subarray(block * BS, (block + 1) * BS), BLOCK_HEADER_BYTES, (_at, h) => { out.push(h.kind); });
  return out;
}

const CONTACT = (i: number) => `Zebediah Quux-${i} +4930555${String(i).padStart(4, '0')}`;

/** A store with ~30 blocks of files (contacts, call entries, configuration), so checkpoints have been written. */
function filled(): { flash: ReturnType<typeof newFlash>; ks: Keystore; crypto: NodeCryptoEngine; store: FileStore; model: Model } {
  const flash = newFlash(GEOMETRY);
  const ks = new Keystore();
  const crypto = new NodeCryptoEngine(ks);
  const store = mountStore(flash.open('fs'), crypto);
  let model: Model = new Map();
  const run = (op: Op & { kind: 'write' }) => {
    store.write(op.path, op.data, { cls: op.cls, user: op.user });
    model = applyToModel(model, op);
  };
  for (let i = 0; i < 40; i++) {
    run({ kind: 'write', path: `dir/phone/c${i}`, cls: 'directory', data: content(CONTACT(i), 300) });
    run({ kind: 'write', path: `calls/phone/${i % 20}`, cls: 'callLists', data: content(`Caller ${i}`, 200) });
    if (i % 10 === 0) run({ kind: 'write', path: 'cfg/site.cfg', cls: 'config', data: content(`Cfg ${i}`, 900) });
  }
  return { flash, ks, crypto, store, model };
}

test('checkpoints are written first in a fresh block, about every 16 blocks, without closing blocks early', () => {
  const { flash, store, model } = filled();
  const image = flash.image();
  const found = checkpointsOn(image);
  assert.ok(found.length >= 1, `checkpoints written (${found.length})`);
  for (const c of found) assert.is(c.offset, BLOCK_HEADER_BYTES, `block ${c.block}: first record`);
  const active = store.stats().blocks - store.stats().freeBlocks;
  assert.ok(found.length <= Math.ceil(active / 16) + 1, `${found.length} checkpoints for ${active} active blocks`);
  // Not a file: nothing lists, reads or counts it.
  assert.not.ok(store.list().some((f) => f.path === CHECKPOINT_PATH));
  assert.is(store.read(CHECKPOINT_PATH), null);
  assert.equal(diff(store, model), []);
});

test('the mount trusts the blocks the newest checkpoint vouches for: their CRCs are left to read()', () => {
  const { flash, crypto, model } = filled();
  const image = flash.image();
  const newest = checkpointsOn(image).sort((a, b) => b.seq - a.seq)[0];
  // A data byte flipped in a vouched block (sequence below the checkpoint's): the kind of damage only a CRC sees.
  let victim: { block: number; path: string } | null = null;
  for (let b = 0; b < image.length / BS && !victim; b++) {
    const seq = decodeBlockUnit(image.subarray(b * BS, (b + 1) * BS), UNIT, ACTIVE_MAGIC);
    const r = seq !== null && seq < newest.seq ? dataRecordIn(image, b) : null;
    if (r && model.has(r.path) && mountStore(newFlash(GEOMETRY, image).open('fs'), crypto).liveRecords().some((l) => l.block === b && l.offset === r.offset)) {
      image[b * BS + r.dataOffset + 20] ^= 0x01;
      victim = { block: b, path: r.path };
    }
  }
  assert.ok(victim, 'a live record in a vouched block');
  // Nor is a vouched block's blank tail read again: the checkpoint vouches that it ends there, and a closed block is never appended to.
  let tail = -1;
  for (let b = 0; b < image.length / BS && tail < 0; b++) {
    const seq = decodeBlockUnit(image.subarray(b * BS, (b + 1) * BS), UNIT, ACTIVE_MAGIC);
    if (seq !== null && seq < newest.seq && b !== victim!.block && image[b * BS + BS - 32] === 0xff) tail = b;
  }
  assert.ok(tail >= 0, 'a vouched block with a blank tail');
  image[tail * BS + BS - 16] = 0x00;
  const log: string[] = [];
  const trusted = mountStore(newFlash(GEOMETRY, image).open('fs'), crypto, log);
  assert.not.ok(log.some((l) => l.includes(`block ${victim!.block}:`)), `no CRC walk of the vouched block: ${log.join('; ')}`);
  assert.not.ok(log.some((l) => l.includes(`block ${tail}:`)), `no check of the vouched block's tail: ${log.join('; ')}`);
  assert.ok(trusted.list().some((f) => f.path === victim!.path), 'indexed from the trusted walk');
  assert.throws(() => trusted.read(victim!.path), /fails its CRC/, 'read() still checks the record');
  // Everything else reads back.
  const others = new Map([...model].filter(([p]) => p !== victim!.path));
  assert.equal(diff(trusted, others).filter((d) => !d.startsWith(`${victim!.path}:`)), []);
});

test('a torn, corrupt or stale checkpoint is not used: the mount checks every CRC, and the index is the same', () => {
  const start = beforeCheckpointWrite();
  // Power cut right after the new checkpoint's Commit: the checkpoint is the last thing in the log.
  let image: Uint8Array | null = null;
  let keys: Keystore | null = null;
  for (let j = 1; !image; j++) {
    const f = newFlash(GEOMETRY, start.image);
    const c = new NodeCryptoEngine(cloneKeystore(start.keys));
    const store = mountStore(f.open('fs'), c);
    f.cutPowerAfter(j);
    try {
      store.write(start.op.path, start.op.data, { cls: start.op.cls });
      throw new Error('the write finished before its checkpoint was committed alone');
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
    }
    f.restorePower();
    const found = checkpointsOn(f.image()).filter((cp) => !checkpointsOn(start.image).some((o) => o.seq === cp.seq));
    if (found.length && kindsIn(f.image(), found[0].block).join() === `${RecordKind.Write},${RecordKind.Commit}`) {
      image = f.image();
      keys = cloneKeystore(start.keys);
    }
  }
  const crypto = new NodeCryptoEngine(keys!);
  assert.equal(diff(mountStore(newFlash(GEOMETRY, image).open('fs'), crypto), start.model), [], 'with the checkpoint');
  const newest = checkpointsOn(image).sort((a, b) => b.seq - a.seq)[0];
  // Torn or corrupt anywhere (header, path, data, its Commit): not used; the index is the same.
  for (const where of [0, 4, 12, 16 + 5, 16 + 23 + 13 + 4, 64, 64 + 12]) {
    const bad = image.slice();
    bad[newest.block * BS + newest.offset + where] ^= 0x40;
    assert.equal(diff(mountStore(newFlash(GEOMETRY, bad).open('fs'), crypto), start.model), [], `damage at +${where}`);
  }
  // Every checkpoint damaged: a flipped data byte in an old block is found by the mount again (the full walk).
  const bad = image.slice();
  for (const cp of checkpointsOn(image)) bad[cp.block * BS + cp.offset + 16 + 5] ^= 0x40;
  let block = -1;
  for (let b = 0; b < bad.length / BS && block < 0; b++) {
    const seq = decodeBlockUnit(bad.subarray(b * BS, (b + 1) * BS), UNIT, ACTIVE_MAGIC);
    if (seq !== null && seq < newest.seq && dataRecordIn(bad, b)) block = b;
  }
  bad[block * BS + dataRecordIn(bad, block)!.dataOffset + 20] ^= 0x01;
  const log: string[] = [];
  mountStore(newFlash(GEOMETRY, bad).open('fs'), crypto, log);
  assert.ok(log.some((l) => l.includes(`block ${block}:`) && l.includes('fails its CRC')), log.join('; '));
  // A stale (older) checkpoint alone is still right: only the newest damaged.
  const stale = image.slice();
  stale[newest.block * BS + newest.offset + 16 + 5] ^= 0x40;
  assert.ok(checkpointsOn(stale).length >= 1, 'older checkpoints remain');
  assert.equal(diff(mountStore(newFlash(GEOMETRY, stale).open('fs'), crypto), start.model), []);
});

test('a class erase that takes the checkpoints\' blocks writes a new one while it moves the other records: the next mount checks few CRCs', () => {
  const { flash, crypto, store, model } = filled();
  // More of both classes, spread over the log: call-list records sit in nearly every block, checkpoints' blocks too.
  let m = model;
  for (let i = 40; i < 90; i++) {
    const op: Op & { kind: 'write' } = { kind: 'write', path: `dir/phone/c${i}`, cls: 'directory', data: content(CONTACT(i), 300) };
    store.write(op.path, op.data, { cls: op.cls });
    m = applyToModel(m, op);
    store.write(`calls/phone/${i % 20}`, content(`Caller ${i}`, 200), { cls: 'callLists' });
  }
  const report = store.eraseClass('callLists');
  assert.ok(report.blocksErased > 16, `the erase took many blocks (${report.blocksErased})`);
  const image = flash.image();
  const newest = checkpointsOn(image).reduce((n, c) => Math.max(n, c.seq), 0);
  let active = 0;
  let uncovered = 0;
  for (let b = 0; b < image.length / BS; b++) {
    const seq = decodeBlockUnit(image.subarray(b * BS, (b + 1) * BS), UNIT, ACTIVE_MAGIC);
    if (seq === null) continue;
    active++;
    if (seq >= newest) uncovered++;
  }
  assert.ok(uncovered <= 17, `${uncovered} of ${active} active blocks past the newest checkpoint`);
  const remounted = mountStore(newFlash(GEOMETRY, image).open('fs'), crypto);
  assert.equal(diff(remounted, new Map([...m].filter(([, f]) => f.cls !== 'callLists'))), []);
});

test('a mount of flash without a covering checkpoint writes one when asked (the boot asks), and only when due', () => {
  const { flash, crypto } = filled();
  // No checkpoint on flash to use (each one's CRC broken: the rest of its block goes as a torn write would).
  const image = flash.image();
  for (const cp of checkpointsOn(image)) image[cp.block * BS + cp.offset + 16 + 5] ^= 0x40;
  const f = newFlash(GEOMETRY, image);
  const store = mountStore(f.open('fs'), crypto);
  assert.ok(store.checkpointIfDue(), 'written');
  assert.not.ok(store.checkpointIfDue(), 'not due again right after');
  const after = f.image();
  const newest = checkpointsOn(after).reduce((n, c) => Math.max(n, c.seq), 0);
  let uncovered = 0;
  for (let b = 0; b < after.length / BS; b++) {
    const seq = decodeBlockUnit(after.subarray(b * BS, (b + 1) * BS), UNIT, ACTIVE_MAGIC);
    if (seq !== null && seq >= newest) uncovered++;
  }
  assert.is(uncovered, 1, 'only the checkpoint\'s own block is past it');
  // The next mount trusts every block before it, and finds the same files.
  const again = mountStore(newFlash(GEOMETRY, after).open('fs'), crypto);
  assert.equal(again.list(), store.list());
  for (const file of store.list()) assert.equal(again.read(file.path), store.read(file.path), file.path);
  assert.not.ok(again.checkpointIfDue(), 'a covered log needs none');
});

test('a damaged block stays damaged under a checkpoint that lists it: nothing past its damage is trusted', () => {
  const { flash, ks, model } = filled();
  const image = flash.image();
  // Programmed bytes in the blank tail of a block no checkpoint vouches for yet: the mount closes it as damaged (its records before stay).
  const newestSeq = checkpointsOn(image).reduce((n, c) => Math.max(n, c.seq), 0);
  let target = -1;
  for (let b = 0; b < image.length / BS && target < 0; b++) {
    const seq = decodeBlockUnit(image.subarray(b * BS, (b + 1) * BS), UNIT, ACTIVE_MAGIC);
    if (seq !== null && seq >= newestSeq && image[b * BS + BS - 16] === 0xff) target = b;
  }
  assert.ok(target >= 0, 'a block past the newest checkpoint with a blank tail');
  image[target * BS + BS - 16] = 0x00;
  const keys = cloneKeystore(ks);
  const f = newFlash(GEOMETRY, image);
  const log: string[] = [];
  const store = mountStore(f.open('fs'), new NodeCryptoEngine(keys), log);
  assert.ok(log.some((l) => l.includes(`block ${target}:`) && l.includes('programmed bytes')), log.join('; '));
  // Write until a new checkpoint covers the damaged block, then remount: still damaged, from the checkpoint's list.
  const before = checkpointsOn(f.image()).length;
  let m = model;
  for (let n = 0; checkpointsOn(f.image()).length === before && n < 300; n++) {
    const w: Op & { kind: 'write' } = { kind: 'write', path: `logs/x${n % 8}`, cls: 'logs', data: content(`log ${n}`, 500) };
    store.write(w.path, w.data, { cls: w.cls });
    m = applyToModel(m, w);
  }
  assert.ok(checkpointsOn(f.image()).length > before, 'a new checkpoint');
  const again: string[] = [];
  const remounted = mountStore(f.open('fs'), new NodeCryptoEngine(keys), again);
  if (remounted.stats().blocks && f.image()[target * BS + UNIT] !== 0x00) {
    // Still in the log (not collected meanwhile): damaged again, as the checkpoint recorded.
    assert.ok(again.some((l) => l.includes(`block ${target}:`)), again.join('; '));
  }
  assert.equal(diff(remounted, m), []);
});

/** A store whose next write writes a checkpoint (many blocks past the last one, the head nearly full): its image, keys, model, and that write. */
function beforeCheckpointWrite(): { image: Uint8Array; keys: Keystore; model: Model; op: Op & { kind: 'write' } } {
  const flash = newFlash(GEOMETRY);
  const ks = new Keystore();
  const store = mountStore(flash.open('fs'), new NodeCryptoEngine(ks));
  let model: Model = new Map();
  for (let i = 0; i < 400; i++) {
    const op: Op & { kind: 'write' } = { kind: 'write', path: `dir/phone/c${i % 30}`, cls: 'directory', data: content(CONTACT(i), 250 + (i % 7) * 40) };
    const image = flash.image();
    const keys = cloneKeystore(ks);
    const count = checkpointsOn(image).length;
    store.write(op.path, op.data, { cls: op.cls });
    if (checkpointsOn(flash.image()).length > count && i > 40) return { image, keys, model, op };
    model = applyToModel(model, op);
  }
  throw new Error('no write wrote a checkpoint');
}

test('a power cut at every flash operation of a write that writes a checkpoint: old state or new, and the store goes on', () => {
  const start = beforeCheckpointWrite();
  const op = start.op;
  let cuts = 0;
  for (let j = 1; ; j++) {
    const f = newFlash(GEOMETRY, start.image);
    const c = new NodeCryptoEngine(cloneKeystore(start.keys));
    const store = mountStore(f.open('fs'), c);
    f.cutPowerAfter(j);
    let cut = false;
    try {
      store.write(op.path, op.data, { cls: op.cls });
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
      cut = true;
    }
    if (!cut) {
      assert.ok(checkpointsOn(f.image()).length > checkpointsOn(start.image).length, 'the uncut write wrote a checkpoint');
      break;
    }
    cuts++;
    f.restorePower();
    const before = start.model;
    const after = applyToModel(before, op);
    const again = mountStore(f.open('fs'), c);
    const d0 = diff(again, before);
    const d1 = diff(again, after);
    if (d0.length && d1.length) assert.unreachable(`cut at ${j}: ${d0.join('; ')} / ${d1.join('; ')}`);
    const now = d0.length === 0 ? before : after;
    // Goes on: more writes (more checkpoints), and a remount agrees.
    let m = now;
    for (let k = 0; k < 40; k++) {
      const w: Op & { kind: 'write' } = { kind: 'write', path: `logs/l${k % 5}`, cls: 'logs', data: content(`after ${j}.${k}`, 400) };
      again.write(w.path, w.data, { cls: w.cls });
      m = applyToModel(m, w);
    }
    assert.equal(diff(mountStore(f.open('fs'), c), m), [], `cut at ${j}: after more writes and a remount`);
  }
  assert.ok(cuts >= 3, `cut points (${cuts})`);
});

test('delete is erase with checkpoints on flash: a re-keyed delete and a class erase leave no contact behind', () => {
  const { flash, ks, crypto, store } = filled();
  assert.ok(checkpointsOn(flash.image()).length >= 1);
  store.rekeyClass('directory', '', (tx) => { for (let i = 0; i < 10; i++) tx.delete(`dir/phone/c${i}`); });
  const gone = Array.from({ length: 10 }, (_, i) => CONTACT(i));
  assert.equal(decryptableMentions(decryptableRecords(flash.image(), GEOMETRY, crypto), gone), [], 'no deleted contact opens with any key');
  // The checkpoints themselves are numbers only: no name, number or path of the class in them.
  for (const c of checkpointsOn(flash.image())) {
    const rec = flash.image().subarray(c.block * BS + c.offset, c.block * BS + c.offset + 128);
    assert.not.ok(/Zebediah|dir\/phone|4930555/.test(Buffer.from(rec).toString('latin1')), 'checkpoint holds no personal data');
  }
  const after = mountStore(flash.open('fs'), crypto);
  assert.is(after.list().filter((f) => f.cls === 'directory').length, 30);
  after.eraseClass('directory');
  assert.equal(findRawStrings(flash.image(), ['Zebediah', 'dir/phone/c']), [], 'class erase: nothing of the class in raw flash');
  assert.equal(ks.names().filter((n) => n.startsWith('store.directory')), []);
  assert.is(mountStore(flash.open('fs'), crypto).list().filter((f) => f.cls === 'directory').length, 0);
});

test.run();
