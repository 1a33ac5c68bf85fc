/**
 * Shared by the login suites: a provisioning folder (served to the simulated
 * phone as sim://prov/) with user profiles, and small drivers for the login
 * screen and the phone's log.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';

/** A user ID typed on the keypad (digits), distinctive enough to find in a raw flash dump. */
export const USER = '73519';
export const USER_PASSWORD = '2468';
export const OTHER_USER = '84620';

export function cfg(attributes: Record<string, string>): string {
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}="${v}"`).join(' ');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig ${attrs}/>\n`;
}

const MASTER = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<APPLICATION APP_FILE_PATH="" CONFIG_FILES="site.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="logs" OVERRIDES_DIRECTORY="overrides"
  CONTACTS_DIRECTORY="contacts" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="users" CALL_LISTS_DIRECTORY="calls" COREFILE_DIRECTORY=""/>
`;

export interface ProfileFolder {
  dir: string;
  write(name: string, text: string): void;
  read(name: string): string | null;
  remove(): void;
}

/**
 * These suites check what the log says about a user (who logged in, which
 * file was refused): they read it as an admin diagnosing a phone would, with
 * the bounded clear-party window open (log.clearParty.hours; redaction
 * itself is tested in test/logs/party-forensics.test.ts). Opens at the
 * first provisioning cycle; a test that needs the default passes its own value.
 */
export const READ_LOGS_IN_CLEAR = { 'log.clearParty.hours': '72' };

/** A provisioning folder: `site` parameters (prov.login.enabled=1 and READ_LOGS_IN_CLEAR added), users' `<user>.cfg` in users/. */
export function profileFolder(site: Record<string, string>, users: Record<string, Record<string, string>> = { [USER]: { 'prov.login.localPassword': USER_PASSWORD } }): ProfileFolder {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'login-prov-'));
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  write('000000000000.cfg', MASTER);
  write('site.cfg', cfg({ 'prov.login.enabled': '1', ...READ_LOGS_IN_CLEAR, ...site }));
  for (const [user, attrs] of Object.entries(users)) write(`users/${user}.cfg`, cfg(attrs));
  return {
    dir,
    write,
    read: (name) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : null),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Let network I/O and virtual time run until `done` holds (5 s real-time limit). */
export async function until(phone: Phone, done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; log:\n${phone.log().slice(-25).join('\n')}`);
    await phone.advance(0);
    await phone.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function provisioned(phone: Phone): boolean {
  return phone.log().some((l) => /\|prov\|\d\|\d+\|provisioned from/.test(l));
}

/** Boot on the folder and wait for the first provisioning cycle (second boot for reboot-flagged settings is not needed: login parameters are not). */
export async function bootOn(folder: ProfileFolder, options: Parameters<typeof bootPhone>[0] = {}): Promise<Phone> {
  const phone = await bootPhone({ provisioningDir: folder.dir, ...options });
  await until(phone, () => provisioned(phone), 'the boot provisioning cycle');
  return phone;
}

/** Open the login screen from idle (Login soft key, or Menu when login is required) and log in. */
export async function loginAt(phone: Phone, user: string, password: string): Promise<string> {
  if (phone.screen().id !== 'idle') await phone.press('home');
  if (phone.screen().id === 'idle') await phone.press('soft1');
  if (phone.screen().id !== 'login') throw new Error(`no login screen: ${JSON.stringify(phone.screen())}`);
  await phone.pressAll([...user.split(''), 'down', ...password.split('')] as never);
  await phone.press('soft1');
  await until(phone, () => !phone.screen().lines.includes('Logging in...'), 'the login answer');
  return phone.screen().id === 'idle' ? 'ok' : phone.screen().lines.slice(2).join(' ');
}

export function idleNotice(phone: Phone): string {
  const s = phone.screen();
  return s.id === 'idle' ? s.lines.slice(2).join(' ') : `(not idle: ${s.id})`;
}

export function logLines(phone: Phone, pattern: RegExp): string[] {
  return phone.log().filter((l) => pattern.test(l));
}
