/**
 * Shared by the analytics suites: a provisioning folder that turns analytics
 * on and points the phone at the test broker, a phone booted from it (which
 * reboots once for the reboot-flagged analytics parameters), and helpers that
 * let real broker traffic settle between steps of virtual time.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileStore } from '../../firmware/storage/file-store';
import { VirtualFlash } from '../../sim/devices/flash';
import type { KeyName } from '../../hal/contract';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';
import { cfg, masterCfg } from '../provisioning/provisioning-fixture';
import type { MosquittoBroker } from '../servers/mosquitto';

export const MAC = '0004f2a1b2c3';
export const OTHER_MAC = '0004f2d4e5f6';
export const PHONE_PASSWORD = 'phone-a-secret';
export const OTHER_PASSWORD = 'phone-b-secret';
export const ACCOUNTS = [{ user: MAC, password: PHONE_PASSWORD }, { user: OTHER_MAC, password: OTHER_PASSWORD }];

/** Parameters that switch analytics on against `broker` (override any with `extra`). */
export function analyticsParameters(broker: MosquittoBroker, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'feature.da.enabled': '1',
    'da.supported.services': 'all',
    'analytics.broker.url': broker.url,
    // In an attribute line breaks become spaces: the phone puts them back.
    'analytics.broker.caCert': broker.caPem.trim().replace(/\n/g, ' '),
    'analytics.broker.password': PHONE_PASSWORD,
    ...extra,
  };
}

/** A provisioning folder holding a master file and site.cfg with these parameters; removed with the phone. */
export function provisioningFolder(site: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analytics-prov-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), masterCfg('site.cfg'));
  fs.writeFileSync(path.join(dir, 'site.cfg'), cfg(site));
  return dir;
}

export function writeSite(dir: string, site: Record<string, string>): void {
  fs.writeFileSync(path.join(dir, 'site.cfg'), cfg(site));
}

/** Boot from a folder and let provisioning (and the reboot it asks for) happen. */
export async function bootProvisioned(dir: string, options: Parameters<typeof bootPhone>[0] = {}): Promise<Phone> {
  const phone = await bootPhone({ provisioningDir: dir, ...options });
  phone.onDispose(() => fs.rmSync(dir, { recursive: true, force: true }));
  await run(phone, 5000);
  return phone;
}

/** Advance virtual time in steps, giving real I/O (the broker) a moment between them. */
export async function run(phone: Phone, ms: number, step = 1000): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await phone.advance(Math.min(step, ms - t));
    await realPause(phone);
  }
}

/** Let real network answers arrive (they come in real time, not virtual). */
export async function realPause(phone: Phone, ms = 10): Promise<void> {
  await phone.settle();
  await new Promise((r) => setTimeout(r, ms));
  await phone.settle();
}

/** Advance until `predicate` holds, failing after `maxMs` virtual. */
export async function runUntil(phone: Phone, predicate: () => boolean, maxMs = 120000, step = 1000): Promise<void> {
  for (let t = 0; t <= maxMs; t += step) {
    if (predicate()) return;
    await phone.advance(step);
    await realPause(phone);
  }
  if (!predicate()) throw new Error(`condition not met within ${maxMs} ms virtual; log tail:\n${phone.log().slice(-15).join('\n')}`);
}

/** Ring the phone, answer, talk `seconds`, far end hangs up. */
export async function answeredCall(phone: Phone, from: string, name: string, seconds: number): Promise<void> {
  const id = phone.farEnd.ring(from, name);
  await phone.settle();
  await phone.press('soft1');
  await phone.advance(seconds * 1000);
  phone.farEnd.hangup(id);
  await realPause(phone);
}

/** Live files of a data class in the phone's fs store, read from a copy of its flash. */
export function liveRecordsOf(phone: Phone, cls: string): string[] {
  const copy = VirtualFlash.fromImage(phone.profile.flash, phone.dumpFlash());
  const store = FileStore.mount(copy.open('fs'), phone.devices.crypto);
  return store.list('').filter((f) => f.cls === cls).map((f) => f.path);
}

/** From idle: Menu, then each label in turn (by its number, or focus and select past 9). */
export async function openMenu(phone: Phone, labels: string[]): Promise<void> {
  await phone.press('soft4');
  for (const label of labels) {
    const line = phone.screen().lines.find((l) => l.replace(/ >$/, '').replace(/^\d+\. /, '') === label);
    if (!line) throw new Error(`no "${label}" on ${JSON.stringify(phone.screen())}`);
    const n = Number(/^(\d+)\./.exec(line)![1]);
    if (n <= 9) await phone.press(String(n) as KeyName);
    else {
      while (phone.screen().lines[phone.screen().focus] !== line) await phone.press('down');
      await phone.press('select');
    }
  }
}
