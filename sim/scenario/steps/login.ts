/**
 * Steps for user profiles (firmware/login): put user profiles on the
 * simulator's built-in provisioning server before boot, log in and out at
 * the phone, check who is logged in.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { KeyName } from '../../../hal/contract';
import { asObject, asString, fields, optionalString } from '../argument';
import type { Phone } from '../../phone';
import { BUILT_IN_FOLDER, BUILT_IN_PREFIX } from '../../provisioning/staging';
import type { StepKind } from '../scenario';
import { goIdle } from './navigation';
import { describeScreen } from './phone';
import { showsText } from '../../shown-text';

type Attributes = Record<string, string>;

function attributes(value: unknown, what: string): Attributes {
  const o = asObject(value ?? {}, what);
  for (const [k, v] of Object.entries(o)) asString(v, `${what}.${k}`);
  return o as Attributes;
}

function cfgText(attrs: Attributes): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig ${Object.entries(attrs).map(([k, v]) => `${k}="${esc(v)}"`).join(' ')}/>\n`;
}

async function put(phone: Phone, name: string, text: string): Promise<void> {
  const res = await phone.devices.net.request({ method: 'PUT', url: BUILT_IN_PREFIX + name, body: new Uint8Array(Buffer.from(text)) });
  if (res.status >= 300) throw new Error(`userProfiles: cannot store ${name} on ${BUILT_IN_PREFIX} (HTTP ${res.status})`);
}

export const userProfiles: StepKind<{ settings: Attributes; users: Record<string, Attributes> }> = {
  name: 'userProfiles',
  help: 'before boot: serve user profiles from the built-in provisioning folder (settings: prov.login.* etc. in login.cfg, prov.login.enabled=1 unless given; users: <user>.cfg attributes)',
  example: { settings: { 'prov.login.required': '1' }, users: { '1001': { 'prov.login.localPassword': '2468' } } },
  parse: (a) => {
    const o = fields(a, ['settings', 'users'], 'userProfiles');
    const users = asObject(o.users ?? {}, 'userProfiles.users');
    return {
      settings: { 'prov.login.enabled': '1', ...attributes(o.settings, 'userProfiles.settings') },
      users: Object.fromEntries(Object.entries(users).map(([u, v]) => [u, attributes(v, `userProfiles.users.${u}`)])),
    };
  },
  label: (a) => `user profiles for ${Object.keys(a.users).join(', ') || 'nobody'}`,
  run: async ({ phone }, a) => {
    if (phone.state === 'running') throw new Error('userProfiles: use it before boot (the boot provisioning cycle reads it)');
    const master = fs.readFileSync(path.join(BUILT_IN_FOLDER, '000000000000.cfg'), 'utf8')
      .replace(/USER_PROFILES_DIRECTORY="[^"]*"/, 'USER_PROFILES_DIRECTORY="users"')
      .replace(/CONFIG_FILES(_[A-Z0-9]+)?="([^"]*)"/g, (_m, model: string | undefined, files: string) => `CONFIG_FILES${model ?? ''}="login.cfg${files ? ',' + files : ''}"`);
    await put(phone, '000000000000.cfg', master);
    await put(phone, 'login.cfg', cfgText(a.settings));
    for (const [user, attrs] of Object.entries(a.users)) await put(phone, `users/${user}.cfg`, cfgText(attrs));
  },
};

async function settleUntil(phone: Phone, done: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await phone.advance(0);
    await phone.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

export const login: StepKind<{ user: string; password: string; expect: 'ok' | 'refused' }> = {
  name: 'login',
  help: 'log in at the login screen (Login soft key, or Menu when login is required); expect "ok" (default) or "refused"',
  example: { user: '1001', password: '2468' },
  parse: (a) => {
    const o = fields(a, ['user', 'password', 'expect'], 'login');
    const expect = optionalString(o.expect, 'login.expect') ?? 'ok';
    if (expect !== 'ok' && expect !== 'refused') throw new Error(`login.expect: "ok" or "refused", got ${JSON.stringify(expect)}`);
    const user = asString(o.user, 'login.user');
    const password = asString(o.password, 'login.password');
    if (!/^[0-9]*$/.test(user + password)) throw new Error('login: user and password are typed on the keypad here: digits only');
    return { user, password, expect };
  },
  label: (a) => `login ${a.user} (${a.expect})`,
  run: async ({ phone }, a) => {
    if (phone.screen().id !== 'login') {
      await goIdle(phone);
      await phone.press(phone.screen().softKeys[0] === 'Login' ? 'soft1' : 'soft4');
    }
    if (phone.screen().id !== 'login') throw new Error(`login: no login screen — screen: ${describeScreen(phone.screen())}`);
    // Still on the login screen after a refusal: clear both fields first.
    const typed = (label: string) => (phone.screen().lines.find((l) => l.startsWith(label)) ?? label).slice(label.length).replace(/_$/, '').length;
    if (phone.screen().focus !== 0) await phone.press('up');
    await phone.pressAll(Array(typed('User ID: ')).fill('soft2') as KeyName[]);
    await phone.press('down');
    await phone.pressAll(Array(typed('Password: ')).fill('soft2') as KeyName[]);
    await phone.pressAll(['up', ...a.user.split(''), 'down', ...a.password.split(''), 'soft1'] as KeyName[]);
    if (!(await settleUntil(phone, () => !phone.screen().lines.includes('Logging in...')))) throw new Error('login: no answer within 5 s');
    const ok = phone.screen().id === 'idle';
    if (ok !== (a.expect === 'ok')) throw new Error(`login: expected ${a.expect}, got ${ok ? 'ok' : 'refused'} — screen: ${describeScreen(phone.screen())}`);
  },
};

export const logout: StepKind<Record<string, never>> = {
  name: 'logout',
  help: 'log the current user out with the Logout soft key on idle',
  example: {},
  parse: (a) => {
    fields(a, [], 'logout');
    return {};
  },
  run: async ({ phone }) => {
    await goIdle(phone);
    if (!showsText(phone.screen().softKeys[0], 'Logout')) throw new Error(`logout: no Logout soft key — screen: ${describeScreen(phone.screen())}`);
    await phone.press('soft1');
  },
};

export const expectUser: StepKind<string> = {
  name: 'expectUser',
  help: 'check who is logged in, as the idle screen shows it ("" for nobody)',
  example: '1001',
  parse: (a) => asString(a, 'expectUser'),
  run: async ({ phone }, user) => {
    await goIdle(phone);
    const shown = phone.screen().lines.find((l) => l.startsWith('User: '))?.slice(6) ?? '';
    if (shown !== user) throw new Error(`expected ${user ? `user ${user}` : 'nobody'} logged in, the idle screen shows ${shown ? `user ${shown}` : 'nobody'}`);
  },
};

export const loginSteps: StepKind[] = [userProfiles, login, logout, expectUser];
