/**
 * Brute force at a password prompt (docs/security.md): 2 free failures,
 * then 5 s and 10 s waits, a 5-minute lock at the 5th failure that doubles
 * with each later lock (60 min at most), reset by a correct password; the
 * lock is logged as a critical event and survives a reboot.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inEnglish } from '../../firmware/ui/i18n/messages';
import { LOCK_MAX_MS } from '../../firmware/auth/attempt-throttle';
import { authRig, said } from './auth-fixture';

const wrong = '000';

test('failures slow the prompt down, then lock it; attempts while waiting are not even checked', () => {
  const r = authRig();
  const { auth, clock } = r;
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Incorrect password' });
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Incorrect password' });
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Incorrect password. Wait 5 s' });
  // The right password during the wait is refused unchecked.
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '123')), { kind: 'refused', message: 'Wait 5 s' });
  clock.now += 5000;
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Incorrect password. Wait 10 s' });
  clock.now += 10000;
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Locked for 5 min' });
  assert.ok(r.lines.some((l) => /\|auth\|5\|.*password prompt locked for 5 min after 5 failed attempts/.test(l)));
  clock.now += 4 * 60_000;
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '123')), { kind: 'refused', message: 'Locked: try again in 1 min' });
  assert.ok(r.lines.some((l) => /refused \(locked: try again in 1 min\)/.test(l)), 'refused attempts are logged too');
  clock.now += 60_000;
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Locked for 10 min' }, 'the next lock doubles');
  clock.now += 10 * 60_000;
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '123')), { kind: 'granted', role: 'user' });
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Incorrect password' }, 'success reset the count');
});

test('locks never exceed 60 minutes', () => {
  const { auth, clock } = authRig();
  let last = '';
  for (let i = 0; i < 40; i++) {
    const r = auth.tryMenuPassword('Advanced', 'admin', wrong);
    if (r.kind === 'refused') last = inEnglish(r.message);
    clock.now += LOCK_MAX_MS;
  }
  assert.equal(last, 'Locked for 60 min');
});

test('a reboot does not give fresh attempts: the count and a running lock survive in nvram', () => {
  const first = authRig();
  for (let i = 0; i < 3; i++) {
    first.auth.tryMenuPassword('Advanced', 'admin', wrong);
    first.clock.now += 60_000;
  }
  const second = first.reboot();
  assert.equal(said(second.auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Incorrect password. Wait 10 s' }, 'the 4th failure after the reboot');
  second.clock.now += 10_000;
  assert.equal(said(second.auth.tryMenuPassword('Advanced', 'admin', wrong)), { kind: 'refused', message: 'Locked for 5 min' });
  const third = second.reboot();
  assert.equal(said(third.auth.tryMenuPassword('Basic', 'user', '123')), { kind: 'refused', message: 'Locked: try again in 5 min' });
});

test('the login screen and the menu prompts are throttled separately', () => {
  const { auth } = authRig();
  for (let i = 0; i < 5; i++) auth.failure('login', 'phone login', 'Login', '1001');
  assert.ok(auth.throttled('login'));
  assert.equal(auth.throttled('menu'), null);
});

test.run();
