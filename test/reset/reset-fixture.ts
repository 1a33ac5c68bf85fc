/**
 * Shared by the reset suites: drive the phone's menus by keys to a reset
 * variant (admin password included), and read the audit lines.
 */
import type { KeyName } from '../../hal/contract';
import type { Phone } from '../../sim/phone';

export const ADMIN_PASSWORD = '4567';

/** Open the entry labelled `label` on the current menu screen (by its number). */
export async function openEntry(phone: Phone, label: string): Promise<void> {
  // Small displays show a window of the menu: scroll down until the entry is in it, then press its number.
  for (let scrolled = 0; scrolled < 30; scrolled++) {
    const line = phone.screen().lines.find((l) => l.replace(/^\d+\. /, '').replace(/ >$/, '') === label);
    const number = line ? /^(\d+)\. /.exec(line)?.[1] : undefined;
    if (number) return phone.press(number as KeyName);
    await phone.press('down');
  }
  throw new Error(`no "${label}" on ${phone.screen().title}: ${phone.screen().lines.join(' | ')}`);
}

async function typeAndEnter(phone: Phone, digits: string): Promise<void> {
  await phone.pressAll([...digits.split(''), 'soft1'] as KeyName[]);
}

/** Menu > Settings > <entry>; answers the admin password prompt (setting the admin password on first use). */
export async function openSettings(phone: Phone, path: string[]): Promise<void> {
  await toIdle(phone);
  await phone.press('soft4'); // Menu
  await openEntry(phone, 'Settings');
  for (const label of path) {
    await openEntry(phone, label);
    if (phone.screen().id !== 'password') continue;
    // The admin password of this phone, or the default one (which must be changed first).
    await typeAndEnter(phone, ADMIN_PASSWORD);
    if (phone.screen().id !== 'password') continue;
    await typeAndEnter(phone, '456');
    if (phone.screen().title !== 'Change Admin Password') throw new Error(`admin password refused: ${JSON.stringify(phone.screen())}`);
    await typeAndEnter(phone, ADMIN_PASSWORD);
    await typeAndEnter(phone, ADMIN_PASSWORD);
    await phone.press('soft1');
  }
}

/** Back to the idle screen (desk-99 has no Home key: Back until idle). */
export async function toIdle(phone: Phone): Promise<void> {
  for (let i = 0; i < 10 && phone.screen().id !== 'idle'; i++) await phone.press(phone.screen().id === 'wizard' ? 'soft4' : 'back');
  if (phone.screen().id !== 'idle') throw new Error(`cannot get back to idle: ${JSON.stringify(phone.screen())}`);
}

/** Settings > Advanced > Administration Settings > Reset to Defaults > `label`, then Yes. */
export async function resetByMenu(phone: Phone, label: string): Promise<void> {
  await openSettings(phone, ['Advanced', 'Administration Settings', 'Reset to Defaults', label]);
  if (phone.screen().id !== 'reset-confirm' || !phone.screen().lines.includes('Are you sure?')) throw new Error(`no confirmation for ${label}: ${JSON.stringify(phone.screen())}`);
  await phone.press('soft1');
}

export function logLines(phone: Phone, re: RegExp): string[] {
  return phone.log().filter((l) => re.test(l));
}
