/**
 * The boot record on flash: written copy-on-write between two blocks with a
 * sequence number and CRC; a torn copy (power cut during its erase or
 * program) is ignored and the previous one stands.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { factoryBootRecord, readBootRecord, writeBootRecord } from '../../firmware/updater/boot-record';
import { updaterLayout } from '../../firmware/updater/updater-layout';
import { PowerCutError } from '../../sim/devices/flash';
import { factoryFlash } from './update-fixture';

test('a fresh updater partition has no record; writes alternate blocks, newest wins', () => {
  const part = factoryFlash().open('updater');
  assert.is(readBootRecord(part), null);
  const r = factoryBootRecord();
  for (let i = 1; i <= 5; i++) {
    r.trialBootsLeft = i;
    writeBootRecord(part, r);
    assert.is(readBootRecord(part)!.trialBootsLeft, i);
  }
});

test('two slots of equal size fit beside the record and key blocks; the bundle fits a slot compressed', () => {
  const part = factoryFlash().open('updater');
  const l = updaterLayout(part);
  assert.is(l.slots.A.size, l.slots.B.size);
  assert.ok(l.slots.B.offset + l.slots.B.size <= part.size);
  assert.ok(l.slots.A.offset >= 3 * part.blockSize);
});

test('a power cut at the erase or the program of a new copy leaves the previous copy', () => {
  for (const cutAt of [1, 2]) {
    const flash = factoryFlash();
    const part = flash.open('updater');
    const r = factoryBootRecord();
    r.trialBootsLeft = 7;
    writeBootRecord(part, r);
    writeBootRecord(part, r); // both blocks hold a copy now
    r.trialBootsLeft = 8;
    flash.cutPowerAfter(cutAt);
    assert.throws(() => writeBootRecord(part, r), (e: unknown) => e instanceof PowerCutError);
    flash.restorePower();
    assert.is(readBootRecord(part)!.trialBootsLeft, 7, `cut at op ${cutAt}`);
    writeBootRecord(part, r);
    assert.is(readBootRecord(part)!.trialBootsLeft, 8);
  }
});

test.run();
