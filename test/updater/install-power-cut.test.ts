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
const FACTORY = { code: standInBundle('factory'), sourceMap: new BundleSourceMap('') };
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

/** Install version 2, boot it on trial, mark it good: every flash operation the update makes. */
function updateToVersion2(flash: VirtualFlash): void {
  installToInactiveSlot(flash.open('updater'), crypto, FILE2, '2.0.0');
  const booted = loadBootImage(flash, FACTORY);
  if (booted.code === V2) markGood(flash, '2.0.0');
}

/** The boot loader's record write that uses up the trial boot: one erase, one program. */
const TRIAL_BOOT_OPS = 2;

test('power cut at every flash operation of an install, trial boot and mark-good: version 1 or 2 always boots', () => {
  const base = phoneOnVersion1();
  const image = base.image();
  const geometry = boardProfile(BOARD).flash;

  const reference = VirtualFlash.fromImage(geometry, image);
  const before = reference.stats().find((p) => p.name === 'updater')!;
  const opsBefore = reference.operationCount();
  installToInactiveSlot(reference.open('updater'), crypto, FILE2, '2.0.0');
  const activationOps = reference.operationCount() - opsBefore;
  const installed = reference.stats().find((p) => p.name === 'updater')!;
  loadBootImage(reference, FACTORY);
  markGood(reference, '2.0.0');
  const total = reference.operationCount() - opsBefore;
  assert.is(readBootRecord(reference.open('updater'))!.slots.B.state, 'good');
  console.log(`  install of a ${FILE2.length}-byte update file: ${installed.eraseOps - before.eraseOps} erases, ${installed.programBytes - before.programBytes} bytes programmed in ${installed.programOps - before.programOps} programs; ${total} flash operations with trial boot and mark-good`);

  const booted = { v1: 0, v2: 0 };
  for (let cut = 1; cut <= total; cut++) {
    const flash = VirtualFlash.fromImage(geometry, image);
    flash.cutPowerAfter(cut);
    try {
      updateToVersion2(flash);
      assert.unreachable(`no power cut at operation ${cut} of ${total}`);
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
    }
    flash.restorePower();
    // Power on, twice: the boot after a cut, and the one after that (a trial used up falls back, never to nothing).
    for (let boot = 0; boot < 2; boot++) {
      const code = loadBootImage(flash, FACTORY).code;
      const which = code === V1 ? 'version 1' : code === V2 ? 'version 2' : code === FACTORY.code ? 'the factory image' : 'something else';
      assert.ok(code === V1 || code === V2, `cut at operation ${cut}: boots ${which}`);
      // Activated and its trial boot not yet used up: version 2 gets its trial. A cut once the trial
      // boot has begun (before mark-good) is a boot that did not reach idle: version 1 again.
      if (boot === 0 && cut > activationOps && cut <= activationOps + TRIAL_BOOT_OPS) assert.ok(code === V2, `cut at ${cut}, after activation: boots ${which}`);
      if (boot === 0 && cut <= activationOps) assert.ok(code === V1, `cut at ${cut}, before activation: boots ${which}`);
      if (code === V1) booted.v1++;
      else booted.v2++;
    }
  }
  assert.ok(booted.v1 > 0 && booted.v2 > 0);
});

test.run();
