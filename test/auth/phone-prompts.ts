/** Drivers for the simulated phone's password prompts (shared by the auth suites). */
import type { Phone } from '../../sim/phone';

/** Menu > Settings > Advanced: the admin password prompt. */
export async function openAdvanced(phone: Phone): Promise<void> {
  if (phone.screen().id !== 'idle') await phone.press('home');
  await phone.press('soft4'); // Menu
  await phone.press('1'); // Settings
  const advanced = phone.screen().lines.findIndex((l) => l.includes('Advanced'));
  await phone.press(String(advanced + 1) as never);
}

/** Menu > Settings > Basic > Change User Password: its first step asks the current user password. */
export async function openChangeUserPassword(phone: Phone): Promise<void> {
  if (phone.screen().id !== 'idle') await phone.press('home');
  await phone.pressAll(['soft4', '1', '1']); // Menu > Settings > Basic
  const entry = phone.screen().lines.findIndex((l) => l.includes('Change User Password'));
  if (entry < 0) throw new Error(`no Change User Password entry: ${phone.screen().lines.join('|')}`);
  await phone.press(String(entry + 1) as never);
}

/** Type digits into the focused password field (Enter is the caller's). */
export async function typeDigits(phone: Phone, digits: string): Promise<void> {
  await phone.pressAll(digits.split('') as never);
}
