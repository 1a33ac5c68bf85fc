/**
 * What a mount reads: the first 48 bytes of every block in one call where the
 * partition offers `readBlockStarts` (block headers and a first record that
 * may be a checkpoint), then the active blocks' records, and nothing of the
 * free blocks, which a mount finishing an erase blank-checks in one call
 * (`blankBlocks`); a partition without them is read in runs of blocks to the
 * same index. In QuickJS each read is a host call, and the header pass used
 * to move the whole partition through it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlashPartition } from '../../hal/contract';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import type { FlashGeometry } from '../../sim/devices/flash';
import { applyToModel, diff, mountStore, newFlash, realisticWorkload, runOp, type Model } from './store-harness';

const GEOMETRY: FlashGeometry = { blockSize: 1024, progSize: 16, partitions: [{ name: 'fs', size: 256 * 1024 }] };
const BLOCKS = 256;

interface Counted { part: FlashPartition; reads: { offset: number; length: number }[]; startCalls: number; blankChecks: number }

/** The partition, its reads counted; `optional: false` hides readBlockStarts and blankBlocks as a board without them would. */
function counted(part: FlashPartition, optional: boolean): Counted {
  const c: Counted = { part: part, reads: [], startCalls: 0, blankChecks: 0 };
  c.part = {
    name: part.name, size: part.size, blockSize: part.blockSize, progSize: part.progSize,
    read: (offset, length) => { c.reads.push({ offset, length }); return part.read(offset, length); },
    program: (offset, bytes) => part.program(offset, bytes),
    erase: (block) => part.erase(block),
    ...(optional ? {
      readBlockStarts: (length: number) => { c.startCalls++; return part.readBlockStarts!(length); },
      blankBlocks: (from: number) => { c.blankChecks++; return part.blankBlocks!(from); },
    } : {}),
  };
  return c;
}

/** A store after a realistic workload; `withErase`: with a class erase in it, so its intent is in the log. */
function written(withErase = false): { image: Uint8Array; keys: Keystore; model: Model } {
  const flash = newFlash(GEOMETRY);
  const keys = new Keystore();
  const store = mountStore(flash.open('fs'), new NodeCryptoEngine(keys));
  let model: Model = new Map();
  for (const op of realisticWorkload(17, 400).filter((o) => (withErase || o.kind !== 'eraseClass') && o.kind !== 'remount')) {
    runOp(store, op);
    model = applyToModel(model, op);
  }
  return { image: flash.image(), keys, model };
}

test('the mount reads block starts in one call and never a free block', () => {
  const { image, keys, model } = written();
  const c = counted(newFlash(GEOMETRY, image).open('fs'), true);
  const store = mountStore(c.part, new NodeCryptoEngine(keys));
  const mountReads = c.reads.slice();
  assert.equal(diff(store, model), []);
  assert.is(c.startCalls, 1);
  const s = store.stats();
  const active = s.blocks - s.freeBlocks;
  assert.ok(s.freeBlocks > 0 && active > 16, `some blocks free, many in use (${active} of ${BLOCKS})`);
  const bytesRead = mountReads.reduce((n, r) => n + r.length, 0);
  // Each active block once (its records), plus the start of the newest checkpoint's block.
  assert.ok(bytesRead <= active * GEOMETRY.blockSize + 1024, `${bytesRead} bytes read for ${active} active blocks`);
  const free = new Set(Array.from({ length: BLOCKS }, (_, b) => b).filter((b) => !mountReads.some((r) => r.offset < (b + 1) * 1024 && r.offset + r.length > b * 1024)));
  assert.ok(free.size >= s.freeBlocks - 1, `${free.size} blocks never read, ${s.freeBlocks} free`);
});

test('a partition without readBlockStarts mounts to the same index', () => {
  const { image, keys, model } = written();
  const withStarts = mountStore(counted(newFlash(GEOMETRY, image).open('fs'), true).part, new NodeCryptoEngine(keys));
  const c = counted(newFlash(GEOMETRY, image).open('fs'), false);
  const without = mountStore(c.part, new NodeCryptoEngine(keys));
  assert.equal(diff(without, model), []);
  assert.equal(without.liveRecords(), withStarts.liveRecords());
  assert.equal(without.stats(), withStarts.stats());
  assert.ok(c.reads.some((r) => r.offset === 0 && r.length === 16 * 1024), 'whole blocks, 16 per read');
});

/** Blocks a read touched. */
function touched(reads: { offset: number; length: number }[], blockSize: number): Set<number> {
  const out = new Set<number>();
  for (const r of reads) for (let b = Math.floor(r.offset / blockSize); b * blockSize < r.offset + r.length; b++) out.add(b);
  return out;
}

test('with an erase intent in the log, the mount blank-checks the free blocks in one call instead of reading them', () => {
  const { image, keys, model } = written(true);
  const c = counted(newFlash(GEOMETRY, image).open('fs'), true);
  const store = mountStore(c.part, new NodeCryptoEngine(keys));
  const mountReads = c.reads.slice();
  assert.equal(diff(store, model), []);
  assert.ok(c.blankChecks >= 1 && c.blankChecks <= 2, 'one blank check past the erase count (free blocks), one of whole blocks (unknown ones)');
  const s = store.stats();
  const read = touched(mountReads, 1024);
  assert.ok(read.size <= s.blocks - s.freeBlocks + 1, `${read.size} blocks read, ${s.blocks - s.freeBlocks} in the log`);
  // Without the blank check: the free blocks are read, 16 to a read, and the mount comes to the same index.
  const plain = counted(newFlash(GEOMETRY, image).open('fs'), false);
  const without = mountStore(plain.part, new NodeCryptoEngine(keys));
  assert.equal(without.liveRecords(), store.liveRecords());
  assert.ok(plain.reads.length < s.freeBlocks, `${plain.reads.length} reads for ${s.freeBlocks} free blocks`);
});

test('what a torn erase left in a free block is found by the blank check and by reading alike, and scrubbed', () => {
  const { image, keys } = written(true);
  const probe = mountStore(newFlash(GEOMETRY, image).open('fs'), new NodeCryptoEngine(keys));
  const active = new Set(probe.liveRecords().map((r) => r.block));
  // A free block (its erase count written, not in the log) with bytes left past its first unit.
  let victim = -1;
  for (let b = 0; b < BLOCKS && victim < 0; b++) {
    const block = image.subarray(b * 1024, (b + 1) * 1024);
    if (!active.has(b) && block[0] !== 0xff && block[16] === 0xff && block.subarray(32).every((x) => x === 0xff)) victim = b;
  }
  assert.ok(victim >= 0, 'a free block');
  for (const optional of [true, false]) {
    const dirty = image.slice();
    dirty.fill(0x5a, victim * 1024 + 512, victim * 1024 + 528);
    const flash = newFlash(GEOMETRY, dirty);
    const log: string[] = [];
    mountStore(counted(flash.open('fs'), optional).part, new NodeCryptoEngine(keys), log);
    assert.ok(flash.image().subarray(victim * 1024 + 16, (victim + 1) * 1024).every((x) => x === 0xff), `scrubbed (${optional ? 'blank check' : 'reads'}): ${log.join('; ')}`);
  }
});

test('block starts hold each block\'s first bytes, erased flash as 0xFF, and refuse a length beyond a block', () => {
  const { image } = written();
  const part = newFlash(GEOMETRY, image).open('fs');
  const starts = part.readBlockStarts!(48);
  assert.is(starts.length, BLOCKS * 48);
  for (let b = 0; b < BLOCKS; b++) assert.equal(starts.subarray(b * 48, (b + 1) * 48), image.subarray(b * 1024, b * 1024 + 48));
  assert.ok(newFlash(GEOMETRY).open('fs').readBlockStarts!(16).every((x) => x === 0xff));
  assert.throws(() => part.readBlockStarts!(1025), /blocks are 1024 bytes/);
  assert.throws(() => part.readBlockStarts!(0), /blocks are 1024 bytes/);
});

test('the blank check says which blocks read 0xFF from an offset on', () => {
  const flash = newFlash(GEOMETRY);
  const part = flash.open('fs');
  part.program(3 * 1024, new Uint8Array(16).fill(0));
  part.program(5 * 1024 + 1008, new Uint8Array(16).fill(0));
  const whole = part.blankBlocks!(0);
  const pastUnit = part.blankBlocks!(16);
  assert.is(whole.length, BLOCKS);
  assert.equal([whole[3], whole[5], whole[4]], [0, 0, 1]);
  assert.equal([pastUnit[3], pastUnit[5], pastUnit[4]], [1, 0, 1]);
  assert.throws(() => part.blankBlocks!(1024), /blocks are 1024 bytes/);
});

test.run();
