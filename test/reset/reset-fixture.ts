/**
 * Shared by the reset suites: the menu driver (sim/reset/menu-driver.ts)
 * with this suite's admin password, and the audit lines.
 */
import type { Phone } from '../../sim/phone';
import * as driver from '../../sim/reset/menu-driver';

export const ADMIN_PASSWORD = '4567';
export const { openEntry, toIdle } = driver;

export const openSettings = (phone: Phone, path: string[]) => driver.openSettings(phone, path, ADMIN_PASSWORD);
export const resetByMenu = (phone: Phone, label: string) => driver.resetByMenu(phone, label, ADMIN_PASSWORD);

export function logLines(phone: Phone, re: RegExp): string[] {
  return phone.log().filter((l) => re.test(l));
}
