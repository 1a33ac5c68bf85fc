/**
 * Format File System and the factory resets format a partition: only blocks
 * that are not blank are erased (saves time and wear: most of a partition
 * is), and a block whose erase a power cut tore is not blank, so the format
 * that runs again at the next boot erases it again.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import { formatPartition } from '../../firmware/reset/reset-at-boot';
import { PowerCutError, VirtualFlash } from '../../sim/devices/flash';

const profile = boardProfile('desk-500');

function blank(flash: VirtualFlash, block: number): boolean {
  const part = flash.open('fs');
  return part.read(block * part.blockSize, part.blockSize).every((b) => b === 0xff);
}

test('only the blocks holding data are erased; the partition is blank after', () => {
  const flash = new VirtualFlash(profile.flash);
  const part = flash.open('fs');
  part.program(3 * part.blockSize + 96, new Uint8Array(16).fill(7));
  part.program(7 * part.blockSize, new Uint8Array(part.blockSize));
  const before = flash.operationCount();
  assert.is(formatPartition(flash, 'fs'), 2);
  assert.is(flash.operationCount() - before, 2, 'two erase operations, not one per block');
  for (let b = 0; b < part.size / part.blockSize; b++) assert.ok(blank(flash, b), `block ${b} blank`);
});

test('a power cut tearing an erase: the torn block is not blank and the next format erases it again', () => {
  const flash = new VirtualFlash(profile.flash);
  const part = flash.open('fs');
  for (const b of [2, 5]) part.program(b * part.blockSize, new Uint8Array(part.blockSize).fill(0x42));
  flash.cutPowerAfter(1);
  assert.throws(() => formatPartition(flash, 'fs'), (e: unknown) => e instanceof PowerCutError);
  flash.restorePower();
  assert.not.ok(blank(flash, 2), 'a torn erase leaves part of the block as it was');
  assert.not.ok(blank(flash, 5));
  assert.is(formatPartition(flash, 'fs'), 2);
  assert.ok(blank(flash, 2) && blank(flash, 5));
  assert.is(formatPartition(flash, 'fs'), 0, 'a blank partition costs no erase');
});

test.run();
