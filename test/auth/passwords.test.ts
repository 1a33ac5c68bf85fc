/**
 * Admin and user passwords (spec: "Administrator and User Passwords"):
 * defaults 456 / 123, the default admin password never grants admin access
 * and is refused as a new one (SB-327), sec.pwd.length.*, the admin password
 * opens user prompts, device.auth.localAdminPassword only with its .set,
 * salted PBKDF2 hashes in nvram, an audit line per attempt without the password.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newPasswordProblem } from '../../firmware/auth/password-policy';
import { authRig, said } from './auth-fixture';

test('defaults: 456 is admin but must be changed first, 123 is the user password, anything else refused', () => {
  const { auth } = authRig();
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', '456')), { kind: 'mustChangeAdmin' });
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '456')), { kind: 'mustChangeAdmin' }, 'no admin-level access at all on the default');
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '123')), { kind: 'granted', role: 'user' });
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', '123')), { kind: 'granted', role: 'user' }, 'user password at an admin prompt: limited set');
  assert.equal(auth.tryMenuPassword('Advanced', 'admin', '999').kind, 'refused');
});

test('the new admin password: not the default, not shorter than sec.pwd.length.admin; then it opens admin and user prompts', () => {
  const { auth, nvram } = authRig({ 'sec.pwd.length.admin': '6' });
  assert.equal(said(auth.change('admin', '456', '456')), 'Too short: at least 6 characters');
  assert.equal(said(newPasswordProblem('admin', '456', 0)), 'The default password is not allowed');
  assert.equal(said(auth.change('admin', '864213', '864200')), 'Passwords do not match');
  assert.equal(said(auth.change('admin', '864213', '864213')), null);
  assert.equal(said(auth.tryMenuPassword('Advanced', 'admin', '864213')), { kind: 'granted', role: 'admin' });
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '864213')), { kind: 'granted', role: 'admin' });
  assert.equal(auth.tryMenuPassword('Advanced', 'admin', '456').kind, 'refused', 'the default no longer works');
  const stored = nvram.get('auth.admin') ?? '';
  assert.match(stored, /^pbkdf2-sha256\$\d+\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
  assert.not.ok(stored.includes('864213'));
});

test('sec.pwd.length.user, 0 allows an empty password; over 32 characters refused', () => {
  assert.equal(said(authRig({ 'sec.pwd.length.user': '4' }).auth.change('user', '987', '987')), 'Too short: at least 4 characters');
  const { auth } = authRig({ 'sec.pwd.length.user': '0' });
  assert.equal(said(auth.change('user', '', '')), null);
  assert.equal(said(auth.tryMenuPassword('Basic', 'user', '')), { kind: 'granted', role: 'user' });
  assert.equal(said(auth.change('user', '1'.repeat(33), '1'.repeat(33))), 'Too long: at most 32 characters');
  assert.equal(said(auth.change('user', '123', '123')), 'The default password is not allowed');
});

test('device.auth.localAdminPassword (its .set and device.set are the config service\'s gate): set once, never the default', () => {
  const rig = authRig();
  assert.equal(rig.auth.applyConfiguredPassword('admin', '77001'), { ok: true, changed: true });
  assert.equal(said(rig.auth.tryMenuPassword('Advanced', 'admin', '77001')), { kind: 'granted', role: 'admin' });
  const before = rig.nvram.get('auth.admin');
  assert.equal(rig.auth.applyConfiguredPassword('admin', '77001'), { ok: true, changed: false });
  assert.equal(rig.nvram.get('auth.admin'), before, 'not re-hashed when already in force');
  const dflt = authRig();
  assert.equal(dflt.auth.applyConfiguredPassword('admin', '456'), { ok: false, reason: 'the default password is not allowed' });
  assert.ok(dflt.auth.vault.isDefault('admin'));
  assert.ok(dflt.lines.some((l) => /\|auth\|5\|.*refused: the default password is not allowed/.test(l)));
});

test('up.echoPasswordDigits is read from configuration', () => {
  assert.equal(authRig().auth.echoDigits(), true);
  assert.equal(authRig({ 'up.echoPasswordDigits': '0' }).auth.echoDigits(), false);
});

test('every attempt is logged with menu, who and result; no password in the log', () => {
  const { auth, lines } = authRig();
  auth.tryMenuPassword('Advanced', 'admin', '31337');
  auth.tryMenuPassword('Basic', 'user', '123');
  auth.verifyCurrent('user', '424242');
  const attempts = lines.filter((l) => l.includes('login attempt'));
  assert.equal(attempts.length, 3, lines.join('\n'));
  assert.match(attempts[0], /\|auth\|3\|0\|login attempt: menu password for "Advanced" by admin prompt: failure \(wrong password, 1 in a row\)/);
  assert.match(attempts[1], /^2026-01-01T00:00:00.000Z\|auth\|2\|0\|login attempt: menu password for "Basic" by user: success/);
  assert.match(attempts[2], /current password for "Change User Password" by user: failure/);
  assert.not.ok(lines.some((l) => l.includes('31337') || l.includes('424242')));
});

test.run();
