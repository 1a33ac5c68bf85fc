/** The login screen on its own: what it shows while and after a login answers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LoginScreen } from '../../firmware/login/login-screen';
import type { LoginResult } from '../../firmware/login/login-service';
import type { Navigator } from '../../firmware/ui/screen';

function nav(): Navigator & { homes: number } {
  const n = { homes: 0, push() {}, pop() {}, replace() {}, redraw() {}, home() { n.homes++; } };
  return n;
}

function screen(login: () => Promise<LoginResult>): LoginScreen {
  return new LoginScreen({ login, throttled: () => null, echo: false, after: () => () => {}, required: true });
}

const settle = () => new Promise((r) => setImmediate(r));

test('a login that fails with an exception leaves the screen usable, with a message (not stuck on "Logging in...")', async () => {
  const s = screen(() => Promise.reject(new Error('config store failed')));
  const n = nav();
  for (const k of ['1', 'down', '2', 'soft1'] as const) s.onKey(k, n);
  assert.ok(s.view().lines.includes('Logging in...'));
  await settle();
  assert.not.ok(s.view().lines.includes('Logging in...'), s.view().lines.join(' | '));
  assert.ok(s.view().lines.some((l) => /login failed/i.test(l)), s.view().lines.join(' | '));
  s.onKey('3', n);
  assert.ok(s.view().lines.some((l) => l.startsWith('Password: *')), 'keys are taken again');
  assert.is(n.homes, 0);
});

test('a refused login shows the service\'s message and keeps the user ID', async () => {
  const s = screen(async () => ({ ok: false, message: 'Incorrect user ID or password' }));
  const n = nav();
  for (const k of ['1', 'down', '2', 'soft1'] as const) s.onKey(k, n);
  await settle();
  assert.ok(s.view().lines.includes('Incorrect user ID or password'));
  assert.ok(s.view().lines[0].startsWith('User ID: 1'));
});

test.run();
