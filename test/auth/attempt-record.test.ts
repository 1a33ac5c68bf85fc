/**
 * Issue 12 point 5, unit level: every checked attempt is on flash before the
 * password is checked, and costs the same whatever its outcome.
 * - an attempt that cannot be recorded is refused unchecked;
 * - a restart between the pre-record and the outcome counts as a failure
 *   (even for the right password), audited once at boot;
 * - both writes of an attempt are records of one size; PBKDF2 runs twice per
 *   check whatever is typed (default or stored passwords, right or wrong);
 * - counts kept by earlier firmware in device settings carry over.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AttemptThrottle, ATTEMPT_RECORD_BYTES, type AttemptRecordStore, type PromptKind } from '../../firmware/auth/attempt-throttle';
import { AuthService } from '../../firmware/auth/auth-service';
import { attemptRecordPath, NvramAttemptRecords } from '../../firmware/auth/nvram-attempt-records';
import { DeviceSettings } from '../../firmware/settings/device-settings';
import { FileStore } from '../../firmware/storage/file-store';
import { BOARDS } from '../../hal/boards';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { authRig, MapStore, said } from './auth-fixture';

/** Attempt records whose writes fail from the `failFrom`-th on (a power cut, or flash refusing). */
function failingRecords(nvram: MapStore, failFrom: number): AttemptRecordStore & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    read: (p: PromptKind) => nvram.attempts.read(p),
    write: (p: PromptKind, r: string) => {
      if (writes.length + 1 >= failFrom) throw new Error('flash write failed');
      writes.push(r);
      nvram.attempts.write(p, r);
    },
  };
}

function countPbkdf2(crypto: NodeCryptoEngine): () => number {
  let n = 0;
  const original = crypto.pbkdf2Sha256.bind(crypto);
  crypto.pbkdf2Sha256 = (...args) => {
    n++;
    return original(...args);
  };
  return () => n;
}

test('an attempt that cannot be recorded on flash is refused without checking the password', () => {
  const r = authRig();
  const calls = countPbkdf2(r.crypto);
  const auth = new AuthService(
    r.auth.vault, new AttemptThrottle(failingRecords(r.nvram, 1), () => r.clock.now), r.auth.audit, { get: (n: string) => r.config.get(n) },
  );
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '123')), { kind: 'refused', message: 'Cannot check the password now' });
  assert.is(calls(), 0, 'not checked');
  assert.ok(r.lines.some((l) => /menu password for "Basic" by user prompt: refused \(attempt not recorded on flash/.test(l)), r.lines.join('\n'));
});

test('a restart between the pre-record and the outcome: a failure, even for the right password, audited once at boot', () => {
  const r = authRig();
  const records = failingRecords(r.nvram, 2); // the pre-record goes through, the resolving record does not
  const auth = new AuthService(
    r.auth.vault, new AttemptThrottle(records, () => r.clock.now), r.auth.audit, { get: (n: string) => r.config.get(n) },
  );
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '123')), { kind: 'granted', role: 'user' });
  assert.equal(records.writes.map((w) => w.trim()), ['1,0,0,1'], 'pending, one failure if it never resolves');
  const after = r.reboot();
  after.auth.recoverInterruptedAttempts();
  assert.equal(after.lines.filter((l) => /interrupted by a restart before its outcome was recorded: counted as failed, 1 in a row/.test(l)).length, 1);
  assert.equal(after.nvram.attempts.read('menu')!.trim(), '1,0,0,0', 'resolved at boot');
  after.reboot().auth.recoverInterruptedAttempts();
  assert.equal(after.lines.filter((l) => /interrupted by a restart/.test(l)).length, 1, 'reported once');
});

test('the 5th attempt cut before its outcome: the lock comes at boot', () => {
  const r = authRig();
  for (let i = 0; i < 4; i++) {
    r.auth.tryMenuPassword('Advanced', 'admin', '000');
    r.clock.now += 60_000;
  }
  r.auth.throttle.begin('menu'); // the 5th attempt, then the power goes
  const after = r.reboot();
  after.auth.recoverInterruptedAttempts();
  assert.equal(said(after.auth.tryMenuPassword('Basic', 'user', '123')), { kind: 'refused', message: 'Locked: try again in 5 min' });
  assert.ok(after.lines.some((l) => /\|auth\|5\|.*password prompt locked after 5 failed attempts in a row \(the last one interrupted by a restart\)/.test(l)));
});

test('right and wrong: two records of the same size, two PBKDF2 runs, default or stored passwords', () => {
  for (const stored of [false, true]) {
    const r = authRig();
    if (stored) {
      r.auth.change('admin', '80808', '80808');
      r.auth.change('user', '7070', '7070');
    }
    const calls = countPbkdf2(r.crypto);
    const sizes: number[] = [];
    const write = r.nvram.attempts.write;
    r.nvram.attempts.write = (p, rec) => { sizes.push(rec.length); write(p, rec); };
    for (const password of stored ? ['80808', '7070', '1', ''] : ['456', '123', '1', '']) {
      const before = calls();
      const n = sizes.length;
      r.auth.tryMenuPassword('Advanced', 'admin', password);
      assert.is(calls() - before, 2, `${stored ? 'stored' : 'default'} passwords, "${password}": PBKDF2 runs`);
      assert.equal(sizes.slice(n), [ATTEMPT_RECORD_BYTES, ATTEMPT_RECORD_BYTES], `"${password}": record writes`);
    }
  }
});

test('on flash: the attempt records are fixed-size nvram files; counts from device settings of earlier firmware carry over', () => {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const crypto = new NodeCryptoEngine(new Keystore());
  const nvram = FileStore.mount(flash.open('nvram'), crypto);
  const settings = new DeviceSettings(nvram, () => {});
  settings.set('auth.throttle.menu', '4,0,0');
  const throttle = new AttemptThrottle(new NvramAttemptRecords(nvram, settings), () => 0);
  throttle.begin('menu');
  assert.is(nvram.read(attemptRecordPath('menu'))!.length, ATTEMPT_RECORD_BYTES);
  assert.is(settings.get('auth.throttle.menu'), undefined, 'the old count moved to the record');
  assert.equal(throttle.failed('menu'), { failures: 5, waitMs: 5 * 60_000, locked: true });
  const remounted = FileStore.mount(flash.open('nvram'), crypto);
  const again = new AttemptThrottle(new NvramAttemptRecords(remounted, new DeviceSettings(remounted, () => {})), () => 0);
  assert.equal(again.admit('menu'), { allowed: false, waitMs: 5 * 60_000, locked: true });
});

test.run();
