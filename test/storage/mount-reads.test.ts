/**
 * What a mount reads: the first 48 bytes of every block in one call where the
 * partition offers `readBlockStarts` (block headers and a first record that
 * may be a checkpoint), then the active blocks' records, and nothing of the
 * free blocks; a partition without it is read in whole blocks to the same
 * index. In QuickJS each read is a host call, and the header pass used to
 * move the whole partition through it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlashPartition } from '../../hal/contract';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import type { FlashGeometry } from '../../sim/devices/flash';
import { applyToModel, diff, mountStore, newFlash, realisticWorkload, runOp, type Model } from './store-harness';

const GEOMETRY: FlashGeometry = { blockSize: 1024, progSize: 16, partitions: [{ name: 'fs', size: 256 * 1024 }] };
const BLOCKS = 256;

interface Counted { part: FlashPartition; reads: { offset: number; length: number }[]; startCalls: number }

/** The partition, its reads counted; `withStarts: false` hides readBlockStarts as a board without it would. */
function counted(part: FlashPartition, withStarts: boolean): Counted {
  const c: Counted = { part: part, reads: [], startCalls: 0 };
  c.part = {
    name: part.name, size: part.size, blockSize: part.blockSize, progSize: part.progSize,
    read: (offset, length) => { c.reads.push({ offset, length }); return part.read(offset, length); },
    program: (offset, bytes) => part.program(offset, bytes),
    erase: (block) => part.erase(block),
    ...(withStarts ? { readBlockStarts: (length: number) => { c.startCalls++; return part.readBlockStarts!(length); } } : {}),
  };
  return c;
}

function written(): { image: Uint8Array; keys: Keystore; model: Model } {
  const flash = newFlash(GEOMETRY);
  const keys = new Keystore();
  const store = mountStore(flash.open('fs'), new NodeCryptoEngine(keys));
  let model: Model = new Map();
  // No class erase: a mount that finds an erase intent reads every free block for the leftovers of a torn erase (class-erase.ts).
  for (const op of realisticWorkload(17, 400).filter((o) => o.kind !== 'eraseClass' && o.kind !== 'remount')) {
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

test.run();
