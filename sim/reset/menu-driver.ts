/**
 * Drives a simulated phone's menus by keys, by entry label (the numbers and
 * the window of a small display vary): to idle, into Settings, through the
 * admin password prompt, to a reset variant and its "Are you sure?". Used by
 * the `reset` scenario step and the reset tests.
 */
import type { KeyName } from '../../hal/contract';
import type { Phone } from '../phone';
import { showsText } from '../shown-text';

/** Open the entry labelled `label` on the current menu screen (by its number, scrolling a small display). */
export async function openEntry(phone: Phone, label: string): Promise<void> {
  for (let scrolled = 0; scrolled < 30; scrolled++) {
    // The small display may cut a long label (marked with '…').
    const line = phone.screen().lines.find((l) => showsText(l.replace(/^\d+\. /, '').replace(/ >$/, ''), label, 12));
    const number = line ? /^(\d+)\. /.exec(line)?.[1] : undefined;
    if (number) return phone.press(number as KeyName);
    await phone.press('down');
  }
  throw new Error(`no "${label}" on ${phone.screen().title}: ${phone.screen().lines.join(' | ')}`);
}

async function typeAndEnter(phone: Phone, digits: string): Promise<void> {
  await phone.pressAll([...digits.split(''), 'soft1'] as KeyName[]);
}

/** Back to the idle screen (desk-99 has no Home key: Back until idle; Finish on the out-of-box wizard). */
export async function toIdle(phone: Phone): Promise<void> {
  for (let i = 0; i < 10 && phone.screen().id !== 'idle'; i++) await phone.press(phone.screen().id === 'wizard' ? 'soft4' : 'back');
  if (phone.screen().id !== 'idle') throw new Error(`cannot get back to idle: ${JSON.stringify(phone.screen())}`);
}

/**
 * Menu > Settings > `path`; answers password prompts with `adminPassword`,
 * or, when the phone still has the default one, with 456 and then sets
 * `adminPassword` (the forced change).
 */
export async function openSettings(phone: Phone, path: string[], adminPassword: string): Promise<void> {
  await toIdle(phone);
  await phone.press('soft4'); // Menu
  await openEntry(phone, 'Settings');
  for (const label of path) {
    await openEntry(phone, label);
    if (phone.screen().id !== 'password') continue;
    await typeAndEnter(phone, adminPassword);
    if (phone.screen().id !== 'password') continue;
    await typeAndEnter(phone, '456');
    if (!showsText(phone.screen().title, 'Change Admin Password')) throw new Error(`admin password refused: ${JSON.stringify(phone.screen())}`);
    await typeAndEnter(phone, adminPassword);
    await typeAndEnter(phone, adminPassword);
    await phone.press('soft1');
  }
}

/** Settings > Advanced > Administration Settings > Reset to Defaults > `label`, then Yes at "Are you sure?". */
export async function resetByMenu(phone: Phone, label: string, adminPassword: string): Promise<void> {
  await openSettings(phone, ['Advanced', 'Administration Settings', 'Reset to Defaults', label], adminPassword);
  if (phone.screen().id !== 'reset-confirm' || !phone.screen().lines.includes('Are you sure?')) throw new Error(`no confirmation for ${label}: ${JSON.stringify(phone.screen())}`);
  await phone.press('soft1');
}
