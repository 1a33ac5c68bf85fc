/**
 * Issue 13 point 5: a power cut at every flash operation of every variant,
 * from the request (the intent's commit) through the boot stage that
 * finishes it. After the next boot either nothing happened (every canary as
 * seeded, no intent left) or the variant completed exactly as planned
 * (docs/reset.md), never anything in between. The firmware's reset code runs
 * here in Node over the virtual flash (the same code the image runs), so the
 * hundreds of cuts per variant take seconds.
 */
import * as nodeCrypto from 'crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import { planReset } from '../../firmware/reset/reset-plan';
import { resetAtBoot } from '../../firmware/reset/reset-at-boot';
import { pendingResetIntent } from '../../firmware/reset/reset-journal';
import { ResetService } from '../../firmware/reset/reset-service';
import { RESET_VARIANTS, type ResetVariantInfo } from '../../firmware/reset/reset-variants';
import { DeviceSettings } from '../../firmware/settings/device-settings';
import { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError, VirtualFlash } from '../../sim/devices/flash';
import { CANARY_USER, seedCanaries } from '../../sim/reset/canaries';
import { declaredClasses, judge } from '../../sim/reset/reset-matrix';

const profile = boardProfile('desk-500');
const declared = declaredClasses();
const seeded = seedCanaries(profile, declared);
const quiet = { info() {}, notice() {}, error() {} };

function copyKeystore(from: Keystore): Keystore {
  const ks = new Keystore();
  for (const n of from.names()) ks.set(n, Buffer.from(from.get(n)!));
  return ks;
}

/** One boot's reset stage (what firmware/main.ts runs before the modules). */
function bootStage(flash: VirtualFlash, crypto: NodeCryptoEngine) {
  return resetAtBoot({
    flash, crypto, heldKeys: [], recoveryKeys: [], classes: declared, mount: (p) => FileStore.mount(flash.open(p), crypto),
    monotonic: () => 0, now: () => 0, log: quiet,
  });
}

function request(flash: VirtualFlash, crypto: NodeCryptoEngine, v: ResetVariantInfo): void {
  const nvram = FileStore.mount(flash.open('nvram'), crypto);
  const settings = new DeviceSettings(nvram, () => {});
  new ResetService({
    nvram, setting: (n) => settings.get(n), now: () => 0, log: { notice() {}, error() {} } as never,
    currentUser: () => (v.perUser ? CANARY_USER : null), clearServer: (_u, done) => done([]), reboot: () => {},
  }).request(v.id, 'power-cut test');
}

/** What the phone holds after a boot: every file readable with the keys left (content hash), and the key material. */
function fingerprint(stores: { nvram: FileStore; fs: FileStore }, keystore: Keystore): string {
  const out: string[] = [];
  for (const [name, store] of [["nvram", stores.nvram], ["fs", stores.fs]] as const) {
    for (const f of store.list()) {
      let content: string;
      try {
        content = nodeCrypto.createHash('sha256').update(store.read(f.path) ?? new Uint8Array(0)).digest('hex');
      } catch {
        content = 'unreadable';
      }
      out.push(`${name}:${f.path}:${f.cls}:${f.user ?? ''}:${content}`);
    }
  }
  // A key made after the seeding (a sealed class written again, e.g. kept device settings) is random on every run: named, not hashed.
  for (const k of keystore.names()) {
    const seededKey = seeded.keystore.get(k);
    const same = seededKey !== undefined && Buffer.from(seededKey).equals(Buffer.from(keystore.get(k)!));
    out.push(`key ${k} ${same ? nodeCrypto.createHash('sha256').update(keystore.get(k)!).digest('hex') : 'made after seeding'}`);
  }
  return out.sort().join('\n');
}

for (const v of RESET_VARIANTS) {
  test(`${v.label}: a power cut at any flash operation of the request or of the boot that finishes it leaves nothing done or all done`, () => {
    const plan = planReset(v.id, declared, v.perUser ? CANARY_USER : undefined);
    // Nothing done: the seeded phone after a boot. All done: the uncut reset, which also matches docs/reset.md.
    const untouchedFlash = VirtualFlash.fromImage(profile.flash, seeded.image);
    const untouchedKeys = copyKeystore(seeded.keystore);
    const nothing = fingerprint(bootStage(untouchedFlash, new NodeCryptoEngine(untouchedKeys)), untouchedKeys);
    const ref = VirtualFlash.fromImage(profile.flash, seeded.image);
    const refKeys = copyKeystore(seeded.keystore);
    const refCrypto = new NodeCryptoEngine(refKeys);
    const start = ref.operationCount();
    request(ref, refCrypto, v);
    const done = bootStage(ref, refCrypto);
    const total = ref.operationCount() - start;
    const all = fingerprint(done, refKeys);
    const judged = seeded.canaries.map((c) => judge(c, v, plan, ref.image(), refKeys, seeded));
    assert.equal(judged.filter((r) => !r.ok).map((r) => r.what), [], 'the uncut reset matches the plan');
    assert.ok(total > 2, `${v.label}: ${total} flash operations`);
    let before = 0;
    let after = 0;
    for (let k = 1; k <= total; k++) {
      const flash = VirtualFlash.fromImage(profile.flash, seeded.image);
      const keystore = copyKeystore(seeded.keystore);
      const crypto = new NodeCryptoEngine(keystore);
      flash.cutPowerAfter(k);
      try {
        request(flash, crypto, v);
        bootStage(flash, crypto);
        assert.unreachable(`operation ${k} of ${total} did not cut the power`);
      } catch (e) {
        if (!(e instanceof PowerCutError)) throw e;
      }
      flash.restorePower();
      const booted = bootStage(flash, crypto);
      assert.is(pendingResetIntent(booted.nvram, () => {}), null, `cut at ${k}: an intent is left after the next boot`);
      const state = fingerprint(booted, keystore);
      if (state === nothing) before++;
      else if (state === all) after++;
      else assert.unreachable(`cut at operation ${k} of ${total}: neither nothing nor all done`);
    }
    assert.ok(after > before, `${before} cuts before the intent committed, ${after} after`);
  });
}

test.run();
