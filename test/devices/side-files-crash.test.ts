/**
 * The side files of a `--flash` image (`.keys.json` keystore, `.power.json`)
 * and the image itself survive a crash of the simulator while it saves them:
 * each is written to a temporary file, fsynced and renamed over the old one,
 * so a crash at any step leaves the old or the new file, never a torn one
 * (a torn keystore made the image unusable: its classes could not be read).
 * A temporary file left by a crash is ignored when loading and replaced by
 * the next save.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Keystore } from '../../sim/devices/crypto';
import { VirtualPower } from '../../sim/devices/power';
import { bootPhone } from '../helpers/sim';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'side-files-crash-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

class Crash extends Error {}

/** The fs calls a save may make; every one of them is a point where the process can die. */
const WRITE_CALLS = ['writeFileSync', 'openSync', 'writeSync', 'fsyncSync', 'closeSync', 'renameSync'] as const;
type WriteCall = typeof WRITE_CALLS[number];
type AnyFn = (...args: unknown[]) => unknown;

/**
 * Run `save` with the process "dying" at the `at`-th fs write call (0-based): a data write
 * there puts half its bytes on disk first, as a crash in the middle of write(2) does.
 * Returns false when `save` finished before reaching that call.
 */
function crashAt(at: number, save: () => void): boolean {
  // The module object itself (`import * as` gives a read-only view of it): patched, it is what every module calls.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const real = require('fs') as Record<WriteCall, AnyFn>;
  const saved = WRITE_CALLS.map((name) => [name, real[name]] as const);
  const original = (name: WriteCall) => saved.find(([n]) => n === name)![1];
  let calls = 0;
  let nested = false; // writeFileSync calls fs.openSync / fs.closeSync itself: one call, one crash point
  for (const [name, fn] of saved) {
    real[name] = (...args: unknown[]) => {
      if (nested || calls++ < at) {
        const outer = !nested;
        nested = true;
        try {
          return fn.apply(real, args);
        } finally {
          if (outer) nested = false;
        }
      }
      if (name === 'writeFileSync' || name === 'writeSync') {
        const data = args[1] as string | Uint8Array;
        const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        const half = bytes.subarray(0, Math.floor(bytes.length / 2));
        nested = true;
        try {
          if (name === 'writeFileSync') original('writeFileSync').call(real, args[0], half);
          else original('writeSync').call(real, args[0], half);
        } finally {
          nested = false;
        }
      }
      throw new Crash(`crash at ${name}`);
    };
  }
  try {
    save();
    return false;
  } catch (e) {
    if (!(e instanceof Crash)) throw e;
    return true;
  } finally {
    for (const [name, original] of saved) real[name] = original;
  }
}

function keystore(keys: Record<string, number>): Keystore {
  const ks = new Keystore();
  for (const [name, fill] of Object.entries(keys)) ks.set(name, Buffer.alloc(32, fill));
  return ks;
}

const keysOf = (ks: Keystore) => Object.fromEntries(ks.names().map((n) => [n, ks.get(n)!.toString('hex')]));

test('keystore: a crash at any step of a save leaves the old or the new keystore, and the next save works', () => {
  const file = path.join(dir, 'crash.img.keys.json');
  const before = keystore({ 'class:calls': 1, 'class:directory': 2 });
  const after = keystore({ 'class:calls': 3, 'class:cdr': 4 });
  let crashes = 0;
  for (let at = 0; ; at++) {
    before.save(file);
    if (!crashAt(at, () => after.save(file))) break;
    crashes++;
    const loaded = keysOf(Keystore.load(file));
    assert.ok([JSON.stringify(keysOf(before)), JSON.stringify(keysOf(after))].includes(JSON.stringify(loaded)), `crash ${at}: ${JSON.stringify(loaded)}`);
    after.save(file);
    assert.equal(keysOf(Keystore.load(file)), keysOf(after), `save after crash ${at}`);
  }
  assert.ok(crashes >= 2, `only ${crashes} crash points`);
  assert.is(fs.statSync(file).mode & 0o777, 0o600, 'keys stay owner-only');
  assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith('crash.img.keys.json')), ['crash.img.keys.json'], 'no temporary file left behind');
});

test('keystore: a stale temporary file from a crash is ignored by load and replaced by save', () => {
  const file = path.join(dir, 'stale.img.keys.json');
  keystore({ 'class:calls': 5 }).save(file);
  for (const f of fs.readdirSync(dir).filter((f) => f.startsWith('crash.'))) fs.rmSync(path.join(dir, f));
  fs.writeFileSync(`${file}.tmp`, '{"class:calls": "00', { mode: 0o644 });
  assert.equal(keysOf(Keystore.load(file)), keysOf(keystore({ 'class:calls': 5 })));
  keystore({ 'class:calls': 6 }).save(file);
  assert.equal(keysOf(Keystore.load(file)), keysOf(keystore({ 'class:calls': 6 })));
  assert.not.ok(fs.existsSync(`${file}.tmp`));
  assert.is(fs.statSync(file).mode & 0o777, 0o600);
});

test('power record: a crash at any step of a save leaves the old or the new record', () => {
  const file = path.join(dir, 'crash.img.power.json');
  const power = new VirtualPower();
  power.booting('power-on');
  for (let at = 0; ; at++) {
    power.save(file);
    const next = VirtualPower.load(file);
    next.booting('reboot', 'config change');
    if (!crashAt(at, () => next.save(file))) break;
    assert.ok([1, 2].includes(VirtualPower.load(file).bootCount()), `crash ${at}`);
  }
});

test('a phone saved with --flash: a crash while saving leaves an image that boots with its keys', async () => {
  const image = path.join(dir, 'phone.img');
  const phone = await bootPhone({ engine: 'node', flashImage: image });
  try {
    phone.saveFlash();
    await phone.advance(1000);
    let crashes = 0;
    for (let at = 0; ; at++) {
      if (!crashAt(at, () => phone.saveFlash())) break;
      crashes++;
      assert.not.throws(() => Keystore.load(`${image}.keys.json`), `keystore after crash ${at}`);
      assert.not.throws(() => VirtualPower.load(`${image}.power.json`), `power record after crash ${at}`);
      assert.is(fs.statSync(image).size, phone.dumpFlash().length, `image after crash ${at}`);
    }
    assert.ok(crashes >= 6, `only ${crashes} crash points`);
  } finally {
    phone.dispose();
  }
  const again = await bootPhone({ engine: 'node', flashImage: image });
  try {
    assert.equal(again.faults, []);
    assert.is(again.screen().id, 'idle');
  } finally {
    again.dispose();
  }
});

test.run();
