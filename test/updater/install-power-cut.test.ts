/**
 * An install with a power cut at every flash operation: the sequence is the
 * updater writing version 2 into the inactive slot (slot A holds a good
 * version 1), the boot loader's trial boot of it, and the firmware marking it
 * good at idle. After a cut at any program or erase (the cut one torn), power
 * on boots version 1 or version 2 — never the factory image, never nothing —
 * and version 2 once its activation record is on flash.
 */
import * as fs from 'fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Logger } from '../../firmware/kernel/logger';
import { readBootRecord } from '../../firmware/updater/boot-record';
import { FirmwareUpdater } from '../../firmware/updater/firmware-updater';
import { installToInactiveSlot } from '../../firmware/updater/slot-installer';
import { boardProfile } from '../../hal/boards';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError, VirtualFlash } from '../../sim/devices/flash';
import { loadBootImage } from '../../sim/host/slot-boot-loader';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { BundleSourceMap } from '../../sim/source-map';
import { BOARD, factoryFlash, standInBundle, updateFile } from './update-fixture';

const crypto = new NodeCryptoEngine();
const FACTORY = { code: standInBundle('factory'), sourceMap: new BundleSourceMap(''), resources: null };
const V1 = standInBundle('1.0.0');
// Version 2 is the size of the real bundle, so the install erases and programs as many blocks as a real one.
const V2 = standInBundle('2.0.0') + '/*' + fs.readFileSync(DEFAULT_IMAGE, 'utf8').replace(/\*\//g, '') + '*/';
const FILE1 = updateFile({ version: '1.0.0', bundle: V1 });
const FILE2 = updateFile({ version: '2.0.0', bundle: V2 });

function markGood(flash: VirtualFlash, version: string): void {
  new FirmwareUpdater({
    net: null as never, crypto, updater: flash.open('updater'), board: BOARD, runningVersion: version,
    log: new Logger(() => 0).component('updt'), server: () => null, appFilePath: () => '', allowDowngrade: () => false,
    reboot: () => {}, monotonic: () => 0,
  }).markRunningGood();
}

/** Slot A holds a good version 1, running. */
function phoneOnVersion1(): VirtualFlash {
  const flash = factoryFlash();
  installToInactiveSlot(flash.open('updater'), crypto, FILE1, '1.0.0');
  assert.is(loadBootImage(flash, FACTORY).code, V1);
  markGood(flash, '1.0.0');
  return flash;
}

/** Install `file`, boot it on trial, mark it good: every flash operation an update makes. */
function update(flash: VirtualFlash, file: Buffer, version: string, code: string): void {
  installToInactiveSlot(flash.open('updater'), crypto, file, version);
  if (loadBootImage(flash, FACTORY).code === code) markGood(flash, version);
}

/** The boot loader's record write that uses up the trial boot: one erase, one program. */
const TRIAL_BOOT_OPS = 2;

interface Update { file: Buffer; version: string; code: string }

/** Cut the power at each flash operation of `next` over a phone running `old`: old or new always boots. */
function cutAtEveryOperation(image: Uint8Array, old: Update, next: Update): string {
  const geometry = boardProfile(BOARD).flash;
  const reference = VirtualFlash.fromImage(geometry, image);
  const before = reference.stats().find((p) => p.name === 'updater')!;
  const opsBefore = reference.operationCount();
  installToInactiveSlot(reference.open('updater'), crypto, next.file, next.version);
  const activationOps = reference.operationCount() - opsBefore;
  const installed = reference.stats().find((p) => p.name === 'updater')!;
  assert.is(loadBootImage(reference, FACTORY).code, next.code);
  markGood(reference, next.version);
  const total = reference.operationCount() - opsBefore;

  const booted = { old: 0, next: 0 };
  for (let cut = 1; cut <= total; cut++) {
    const flash = VirtualFlash.fromImage(geometry, image);
    flash.cutPowerAfter(cut);
    try {
      update(flash, next.file, next.version, next.code);
      assert.unreachable(`no power cut at operation ${cut} of ${total}`);
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
    }
    flash.restorePower();
    // Power on, twice: the boot after a cut, and the one after that (a trial used up falls back, never to nothing).
    for (let boot = 0; boot < 2; boot++) {
      const code = loadBootImage(flash, FACTORY).code;
      const which = code === old.code ? `version ${old.version}` : code === next.code ? `version ${next.version}` : code === FACTORY.code ? 'the factory image' : 'something else';
      assert.ok(code === old.code || code === next.code, `cut at operation ${cut}: boots ${which}`);
      // Activated and its trial boot not yet used up: the new version gets its trial. A cut once the trial
      // boot has begun (before mark-good) is a boot that did not reach idle: the old version again.
      if (boot === 0 && cut > activationOps && cut <= activationOps + TRIAL_BOOT_OPS) assert.ok(code === next.code, `cut at ${cut}, after activation: boots ${which}`);
      if (boot === 0 && cut <= activationOps) assert.ok(code === old.code, `cut at ${cut}, before activation: boots ${which}`);
      if (code === old.code) booted.old++;
      else booted.next++;
    }
  }
  assert.ok(booted.old > 0 && booted.next > 0);
  return `${installed.eraseOps - before.eraseOps} erases, ${installed.programBytes - before.programBytes} bytes programmed in ${installed.programOps - before.programOps} programs for the install; ${total} flash operations with trial boot and mark-good, each cut`;
}

const V3 = V2.replace("'2.0.0'", "'3.0.0'").replace('"2.0.0"', '"3.0.0"');
const ONE = { file: FILE1, version: '1.0.0', code: V1 };
const TWO = { file: FILE2, version: '2.0.0', code: V2 };
const THREE = { file: updateFile({ version: '3.0.0', bundle: V3 }), version: '3.0.0', code: V3 };

test('power cut at every flash operation: version 2 into the empty slot B while version 1 runs from A', () => {
  const figures = cutAtEveryOperation(phoneOnVersion1().image(), ONE, TWO);
  console.log(`  update file of ${FILE2.length} bytes into an empty slot: ${figures}`);
});

test('power cut at every flash operation: version 3 over the fallback slot A while version 2 runs from B', () => {
  const flash = phoneOnVersion1();
  update(flash, TWO.file, TWO.version, TWO.code);
  const r = readBootRecord(flash.open('updater'))!;
  assert.equal([r.active, r.fallback, r.slots.A.state, r.slots.B.state], ['B', 'A', 'good', 'good']);
  const figures = cutAtEveryOperation(flash.image(), TWO, THREE);
  console.log(`  update file of ${THREE.file.length} bytes over the fallback slot: ${figures}`);
});

test.run();
